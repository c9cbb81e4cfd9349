import { ChannelApiError } from "../../errors.ts";
import type { MessengerOutgoing, MetaUser, WhatsappOutgoing } from "./meta.adapter.ts";

/** The Graph API version Guardline is written against. */
export const GRAPH_VERSION = "v21.0";
const TIMEOUT_MS = 8000;

/**
 * Graph API codes worth a retry: temporary errors (1, 2), rate limits (4, 17, 341, 613) and the
 * WhatsApp Cloud API's throttling and service errors (130429, 131000, 131056, 133004).
 */
const RETRYABLE_CODES = new Set([1, 2, 4, 17, 341, 613, 130429, 131000, 131056, 133004]);

/** What Meta says went wrong, from its `{"error":{…}}` body. */
export class MetaApiError extends ChannelApiError {
  override name = "MetaApiError";
  constructor(
    method: string,
    apiStatus: number,
    readonly code: number | undefined,
    readonly subcode: number | undefined,
    options?: ErrorOptions,
  ) {
    super(
      "meta",
      method,
      apiStatus,
      `Meta answered ${apiStatus}${code === undefined ? "" : ` (code ${code})`}`,
      options,
    );
    // Meta signals temporary trouble and throttling by code, often with a 4xx status.
    if (code !== undefined && RETRYABLE_CODES.has(code)) this.retryable = true;
  }

  /**
   * The user's messaging window is closed: WhatsApp allows free-form messages for 24 hours after the
   * user's last message (131047), Messenger likewise (10 / 2018278; 551: the person is unavailable).
   */
  get windowClosed(): boolean {
    return this.code === 131047 || (this.code === 10 && this.subcode === 2018278) || this.code === 551;
  }
}

/**
 * The two Send APIs Guardline uses, over fetch: WhatsApp Cloud API messages from the number the
 * user wrote to, and Messenger messages from the page. The token goes in a header, never a URL.
 */
export class GraphApi {
  constructor(
    private readonly root: string,
    private readonly accessToken: string,
  ) {}

  async send(
    user: MetaUser,
    message: WhatsappOutgoing | MessengerOutgoing,
    options: { humanAgent?: boolean } = {},
  ): Promise<void> {
    if (user.platform === "whatsapp") {
      await this.post(`${user.phoneNumberId}/messages`, {
        messaging_product: "whatsapp",
        recipient_type: "individual",
        to: user.waId,
        ...message,
      });
      return;
    }
    // Agents may answer within 7 days under the HUMAN_AGENT tag; the bot answers within the window.
    const kind = options.humanAgent
      ? { messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" }
      : { messaging_type: "RESPONSE" };
    await this.post(`${user.pageId}/messages`, { recipient: { id: user.psid }, ...kind, message });
  }

  private async post(path: string, body: unknown): Promise<void> {
    const method = path.split("/").at(-1) ?? path;
    let response: Response;
    try {
      response = await fetch(`${this.root.replace(/\/+$/, "")}/${GRAPH_VERSION}/${path}`, {
        method: "POST",
        headers: { authorization: `Bearer ${this.accessToken}`, "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new MetaApiError(method, 0, undefined, undefined, { cause: error });
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const detail = (await response.json().catch(() => ({}))) as {
      error?: { code?: unknown; error_subcode?: unknown };
    };
    const code = typeof detail.error?.code === "number" ? detail.error.code : undefined;
    const subcode = typeof detail.error?.error_subcode === "number" ? detail.error.error_subcode : undefined;
    throw new MetaApiError(method, response.status, code, subcode);
  }
}
