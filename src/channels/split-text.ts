/**
 * Splits a message for a platform's length limit (counted in characters): at a paragraph or line end
 * in the second half of the window when there is one, else at the limit.
 */
export function splitText(text: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while ([...rest].length > limit) {
    const window = [...rest].slice(0, limit).join("");
    const cut = Math.max(window.lastIndexOf("\n\n"), window.lastIndexOf("\n"));
    const at = cut > limit / 2 ? cut : window.length;
    // A window of spaces alone is no message (platforms refuse empty text).
    const part = rest.slice(0, at).trimEnd();
    if (part !== "") parts.push(part);
    rest = rest.slice(at).replace(/^\n+/, "");
  }
  if (rest.trim().length > 0) parts.push(rest.trimEnd());
  return parts;
}
