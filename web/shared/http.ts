/** HTTP helpers shared by the pages (no DOM types: unit tests run them in Node against real servers). */

/** `fetch` with a deadline: the request is aborted after `timeoutMs`. Never sends cookies. */
export async function fetchWithTimeout(url: string, init: RequestInit, timeoutMs: number): Promise<Response> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    // `cache` is the browser's (Node's fetch types lack it and ignore it).
    const options = { ...init, credentials: "omit", cache: "no-store", signal: controller.signal };
    return await fetch(url, options as RequestInit);
  } finally {
    clearTimeout(timer);
  }
}

/** The body as JSON, or `null` when it is not JSON. */
export async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return null;
  }
}

/** The server's own message for a 4xx (`{error: {message}}`, shortened), else `fallback`. */
export function errorMessage(status: number, data: unknown, fallback: string, maxChars = 200): string {
  const detail =
    data && typeof data === "object" ? (data as { error?: { message?: unknown } }).error?.message : undefined;
  if (status >= 500 || typeof detail !== "string" || detail.trim() === "") return fallback;
  const message = detail.trim();
  return message.length > maxChars ? `${message.slice(0, maxChars - 1)}\u2026` : message;
}
