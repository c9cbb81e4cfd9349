import type { Inbound } from "../../core/policy.ts";
import { normaliseText } from "../../core/text.ts";
import type { InboundMessage } from "../types.ts";
import type { WebPost } from "./web.schemas.ts";

/**
 * The web chat channel. The browser's random `sessionId` is both the user's address and its bearer:
 * whoever holds it may read that conversation, and nobody else can guess it.
 */
export function webInbound(post: WebPost): InboundMessage {
  const hint = post.locale ? { localeHint: post.locale } : {};
  const content: Inbound =
    post.text !== undefined
      ? { type: "text", text: normaliseText(post.text), ...hint }
      : { type: "button", buttonId: post.buttonId ?? "", ...hint };
  return {
    channel: "web",
    userKey: `web:${post.sessionId}`,
    ...(post.clientMessageId ? { eventId: `web:${post.clientMessageId}` } : {}),
    content,
  };
}
