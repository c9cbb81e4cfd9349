/** The chat's session: base64url of 24 random bytes in localStorage; no cookies, no tracking. */
export const SESSION_KEY = "guardline.sessionId";
const SESSION_RE = /^[A-Za-z0-9_-]{22,128}$/;

export function randomId(): string {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The stored session id, or a new one (kept in memory only when storage is refused). */
export function loadSessionId(storage: Pick<Storage, "getItem" | "setItem"> | undefined): string {
  try {
    const stored = storage?.getItem(SESSION_KEY);
    if (stored && SESSION_RE.test(stored)) return stored;
    const fresh = randomId();
    storage?.setItem(SESSION_KEY, fresh);
    return fresh;
  } catch {
    return randomId();
  }
}
