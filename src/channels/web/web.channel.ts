import { json, parseJson, withinLimit } from "../../http/api-gateway.ts";
import { validate } from "../../validate.ts";
import type {
  Answer,
  AnswerableEvent,
  ChannelAdapter,
  ChannelLimits,
  ChannelRequest,
  ChannelResponse,
  Exchange,
} from "../types.ts";
import { webInbound } from "./web.adapter.ts";
import { WEB_LIMITS, webPostSchema } from "./web.schemas.ts";

/** The web chat answers in the response; nothing else addresses the browser. */
type WebTo = Record<string, never>;

/**
 * The web chat: `POST /web/messages` is one user message in and the bot's replies out. Nothing is
 * pushed to the browser: the page polls `GET /web/messages`, so an agent's stored message is its
 * delivery. Bad input is a 400 that names the field, and nothing is stored.
 */
export class WebChannel implements ChannelAdapter<WebTo> {
  readonly name = "web";
  readonly limits: ChannelLimits = {
    redelivers: false,
  };

  async receive(request: ChannelRequest) {
    const body = parseJson(withinLimit(request.body, WEB_LIMITS.bodyBytes));
    const post = validate(webPostSchema, body, "body");
    return { events: [{ kind: "inbound" as const, to: {}, message: webInbound(post) }] };
  }

  exchange(): Exchange<WebTo> {
    let answered: Answer | undefined;
    let sent: string | undefined;
    return {
      async reply(event: AnswerableEvent<WebTo>, answer: () => Promise<Answer | undefined>) {
        if (event.kind === "inbound" && event.message.content.type === "text")
          sent = event.message.content.text;
        answered = await answer();
      },
      finish(): ChannelResponse {
        const turn = answered?.turn;
        if (!turn) throw new Error("the web chat's turn produced no answer");
        const { message, ...rest } = turn;
        // When the store kept another form (a pasted secret redacted), the page shows that form at
        // once; otherwise nothing the user wrote is sent back (product.md §4).
        const changed = message && sent !== undefined && message.text !== sent;
        const stored = changed ? { message: { ...message, from: "user" } } : {};
        return json(200, { ...rest, ...stored, replies: answered?.replies ?? [] }) as ChannelResponse;
      },
    };
  }

  /** The page polls for new messages; the stored message is the delivery. */
  async deliver(): Promise<void> {}
}
