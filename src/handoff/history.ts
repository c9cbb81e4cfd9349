import type { ConversationStore } from "../store/conversation-store.ts";

export interface UserHistory {
  messages: { id: string; from: "user" | "bot" | "agent"; text: string; at: string }[];
  /** `<conversation seq>-<version>.<index>` of the last message returned; null when there is none. */
  cursor: string | null;
}

/**
 * What the user may read of their current conversation after the cursor (channels that poll, like
 * the web chat). A cursor from an earlier conversation (closed since) restarts at the beginning of
 * the current one. Agents' internal notes never reach the user; the cursor still moves past them.
 */
export async function userHistory(
  store: ConversationStore,
  userKey: string,
  afterCursor: string | undefined,
  pageSize: number,
): Promise<UserHistory> {
  const { current } = await store.loadHead(userKey);
  if (!current) return { messages: [], cursor: null };
  const after = parseCursor(afterCursor);
  const from = after && after.seq === current.seq ? after : undefined;
  const records = await store.listMessages(current.conversationId, from, pageSize);
  const messages = records.flatMap((m) =>
    m.from === "note" ? [] : [{ id: m.id, from: m.from, text: m.text, at: m.at }],
  );
  const last = records.at(-1);
  const cursor = last ? `${current.seq}-${last.id}` : from ? (afterCursor ?? null) : null;
  return { messages, cursor };
}

function parseCursor(after: string | undefined) {
  if (!after) return undefined;
  const [seq, version, index] = after.split(/[-.]/).map(Number);
  if (seq === undefined || version === undefined || index === undefined) return undefined;
  return { seq, version, index };
}
