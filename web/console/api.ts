import { errorMessage, fetchWithTimeout, readJson } from "../shared/http.ts";

/**
 * The console's calls to `/agent/...` (same origin), each with `Authorization: Bearer <token>` and
 * no cookies. A 401 while signed in means the token was revoked or expired: `onUnauthorized` runs
 * (the console signs out) and the call still fails. A 4xx carries the server's own reason (the
 * registry's refusal of a reply, say); a 5xx or an unreadable answer carries the generic text.
 */
const REQUEST_TIMEOUT_MS = 20_000;

/** A failed call: `status` 0 when the server was not reached. */
export class ConsoleApiError extends Error {
  override readonly name = "ConsoleApiError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface ApiTexts {
  error: string;
  network: string;
}

export interface ConsoleApiOptions {
  /** The server's base URL; the page's own origin when omitted. */
  base?: string;
  timeoutMs?: number;
  /** Runs on a 401 answer. */
  onUnauthorized?: () => void;
}

export const conversationPath = (id: string, action?: string): string =>
  `/agent/conversations/${encodeURIComponent(id)}${action ? `/${action}` : ""}`;

export class ConsoleApi {
  /** The agent token the calls carry ("" signed out). */
  token = "";
  /** The texts errors carry: the console's locale, so they change with it. */
  texts: ApiTexts;
  private readonly base: string;
  private readonly timeoutMs: number;
  private readonly onUnauthorized: () => void;

  constructor(texts: ApiTexts, options: ConsoleApiOptions = {}) {
    this.texts = texts;
    this.base = options.base ?? "";
    this.timeoutMs = options.timeoutMs ?? REQUEST_TIMEOUT_MS;
    this.onUnauthorized = options.onUnauthorized ?? (() => undefined);
  }

  /** One call; resolves with the answer's JSON object, or rejects with a `ConsoleApiError`. */
  async call(method: "GET" | "POST", path: string, body?: unknown): Promise<Record<string, unknown>> {
    const headers: Record<string, string> = {
      Accept: "application/json",
      Authorization: `Bearer ${this.token}`,
    };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    let response: Response;
    try {
      response = await fetchWithTimeout(
        `${this.base}${path}`,
        { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) },
        this.timeoutMs,
      );
    } catch {
      throw new ConsoleApiError(this.texts.network, 0);
    }
    const data = await readJson(response);
    if (response.ok) {
      if (!data || typeof data !== "object" || Array.isArray(data)) {
        throw new ConsoleApiError(this.texts.error, response.status);
      }
      return data as Record<string, unknown>;
    }
    if (response.status === 401) this.onUnauthorized();
    throw new ConsoleApiError(errorMessage(response.status, data, this.texts.error, 300), response.status);
  }
}
