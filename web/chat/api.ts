import { errorMessage, fetchWithTimeout, readJson } from "../shared/http.ts";
import { asMessage, type ChatMessage } from "./history.ts";

/**
 * The chat's two calls to `/web/messages` (same origin). A message is posted with the caller's
 * `clientMessageId`, and after a network error or a 502/503/504 the same body is sent once more, so
 * the server's dedupe makes the retry safe: the user is answered once.
 */
export const API = "/web/messages";
const REQUEST_TIMEOUT_MS = 30_000;
const RETRY_STATUSES = new Set([502, 503, 504]);

/** A failed call: `status` 0 when the server was not reached. */
export class ChatApiError extends Error {
  override readonly name = "ChatApiError";
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

export interface Reply {
  text: string;
  buttons: { id: string; label: string }[];
}

export interface PostAnswer {
  /** What the store kept of the user's text, when it differs (a pasted secret redacted). */
  stored?: ChatMessage;
  replies: Reply[];
}

export interface PostBody {
  sessionId: string;
  clientMessageId: string;
  locale: string;
  text?: string;
  buttonId?: string;
}

export interface ApiTexts {
  error: string;
  network: string;
}

export interface ChatApiOptions {
  /** The server's base URL; the page's own origin when omitted. */
  base?: string;
  retryDelayMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function replies(value: unknown): Reply[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((r: unknown) => {
    if (!r || typeof r !== "object" || typeof (r as { text?: unknown }).text !== "string") return [];
    const raw = (r as { buttons?: unknown }).buttons;
    const buttons = (Array.isArray(raw) ? raw : []).filter(
      (b): b is { id: string; label: string } =>
        !!b && typeof b.id === "string" && typeof b.label === "string" && b.label !== "",
    );
    return [{ text: (r as { text: string }).text, buttons: buttons.map(({ id, label }) => ({ id, label })) }];
  });
}

export class ChatApi {
  private readonly base: string;
  private readonly retryDelayMs: number;

  constructor(
    private readonly texts: ApiTexts,
    options: ChatApiOptions = {},
  ) {
    this.base = options.base ?? "";
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  async post(body: PostBody): Promise<PostAnswer> {
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt += 1) {
      let response: Response;
      try {
        response = await fetchWithTimeout(
          this.base + API,
          {
            method: "POST",
            headers: { "Content-Type": "application/json", Accept: "application/json" },
            body: payload,
          },
          REQUEST_TIMEOUT_MS,
        );
      } catch {
        if (attempt === 0) {
          await sleep(this.retryDelayMs);
          continue;
        }
        throw new ChatApiError(this.texts.network, 0);
      }
      if (attempt === 0 && RETRY_STATUSES.has(response.status)) {
        await sleep(this.retryDelayMs);
        continue;
      }
      const data = await readJson(response);
      if (!response.ok)
        throw new ChatApiError(errorMessage(response.status, data, this.texts.error), response.status);
      if (!data || typeof data !== "object") throw new ChatApiError(this.texts.error, response.status);
      const answer = data as { message?: unknown; replies?: unknown };
      const stored = asMessage(answer.message);
      return { ...(stored ? { stored } : {}), replies: replies(answer.replies) };
    }
  }

  /** One page of the conversation after `after` (from the start without it). */
  async list(sessionId: string, after: string | null): Promise<{ messages: ChatMessage[]; cursor: unknown }> {
    const query = new URLSearchParams({ sessionId });
    if (after) query.set("after", after);
    let response: Response;
    try {
      response = await fetchWithTimeout(
        `${this.base}${API}?${query.toString()}`,
        { method: "GET", headers: { Accept: "application/json" } },
        REQUEST_TIMEOUT_MS,
      );
    } catch {
      throw new ChatApiError(this.texts.network, 0);
    }
    const data = await readJson(response);
    if (!response.ok)
      throw new ChatApiError(errorMessage(response.status, data, this.texts.error), response.status);
    const page = data as { messages?: unknown; cursor?: unknown } | null;
    if (!page || !Array.isArray(page.messages)) throw new ChatApiError(this.texts.error, response.status);
    return { messages: page.messages.flatMap((m: unknown) => asMessage(m) ?? []), cursor: page.cursor };
  }
}
