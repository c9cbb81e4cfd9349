/** `telegram:123456789` → `telegram:12•••89`: enough to tell users apart, not to find them. */
export function mask(userKey: string): string {
  const at = userKey.indexOf(":");
  const id = userKey.slice(at + 1);
  return `${userKey.slice(0, at)}:${id.slice(0, 2)}•••${id.slice(-2)}`;
}
