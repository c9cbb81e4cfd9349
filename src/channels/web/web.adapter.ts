import type { Inbound } from "../../core/policy.ts";
import type { InboundMessage, TurnOutcome } from "../../handoff/inbound.ts";
import type { ConversationStore } from "../../store/conversation-store.ts";
import { WEB_LIMITS, type WebPost } from "./web.schemas.ts";

/**
 * The web chat channel. The browser's random `sessionId` is both the user's address and its bearer:
 * whoever holds it may read that conversation, and nobody else can guess it.
 */
export function webInbound(post: WebPost): InboundMessage {
  const hint = post.locale ? { localeHint: post.locale } : {};
  const content: Inbound =
    post.text !== undefined
      ? { type: "text", text: wellFormed(post.text), ...hint }
      : { type: "button", buttonId: post.buttonId ?? "", ...hint };
  return {
    channel: "web",
    userKey: `web:${post.sessionId}`,
    ...(post.clientMessageId ? { eventId: `web:${post.clientMessageId}` } : {}),
    content,
  };
}

export function webReply(outcome: TurnOutcome) {
  return { conversationId: outcome.conversationId, status: outcome.status, replies: outcome.replies };
}

export interface WebHistory {
  messages: { id: string; from: "user" | "bot" | "agent"; text: string; at: string }[];
  cursor: string | null;
}

/**
 * Messages of the session's current conversation after the cursor. A cursor from an earlier
 * conversation (closed since) restarts at the beginning of the current one.
 */
export async function webHistory(
  store: ConversationStore,
  query: { sessionId: string; after?: string | undefined },
): Promise<WebHistory> {
  const { current } = await store.loadHead(`web:${query.sessionId}`);
  if (!current) return { messages: [], cursor: null };
  const after = parseCursor(query.after);
  const from = after && after.seq === current.seq ? after : undefined;
  const records = await store.listMessages(current.conversationId, from, WEB_LIMITS.historyPage);
  // Agents' internal notes never reach the user; the cursor still moves past them.
  const messages = records.flatMap((m) =>
    m.from === "note" ? [] : [{ id: m.id, from: m.from, text: m.text, at: m.at }],
  );
  const last = records.at(-1);
  const cursor = last ? `${current.seq}-${last.id}` : from ? (query.after ?? null) : null;
  return { messages, cursor };
}

function parseCursor(after: string | undefined) {
  if (!after) return undefined;
  const [seq, version, index] = after.split(/[-.]/).map(Number);
  if (seq === undefined || version === undefined || index === undefined) return undefined;
  return { seq, version, index };
}

/** Lone surrogates (valid in JSON, not in UTF-8) become U+FFFD, so the store never refuses the text. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
