/**
 * What the chat knows of the conversation's messages, apart from the DOM: which it has shown (by id)
 * and the cursor of `GET /web/messages?after=`. Pure, so the rules are unit-tested:
 * - a message is shown once, however often polls and the POST answer return it;
 * - the cursor only moves forward (an empty or missing cursor keeps the last one);
 * - after a turn, an agent's reply written before the user's message goes above it.
 */
export type Author = "user" | "bot" | "agent";

export interface ChatMessage {
  id?: string;
  from: Author;
  text: string;
  at?: string;
}

/** A server message, if it is one the page can show. */
export function asMessage(value: unknown): ChatMessage | undefined {
  if (!value || typeof value !== "object") return undefined;
  const m = value as Record<string, unknown>;
  if (typeof m.text !== "string" || (m.from !== "user" && m.from !== "bot" && m.from !== "agent")) {
    return undefined;
  }
  return {
    from: m.from,
    text: m.text,
    ...(typeof m.id === "string" ? { id: m.id } : {}),
    ...(typeof m.at === "string" ? { at: m.at } : {}),
  };
}

/** Where a message from a page goes: at the end, or before the user's own message of this turn. */
export type Placement = "end" | "before-mine";

export class History {
  private readonly seen = new Set<string>();
  private cursorValue: string | null = null;

  get cursor(): string | null {
    return this.cursorValue;
  }

  /** True for a message not shown yet (one without an id cannot be told apart, so it is new). */
  isNew(m: ChatMessage): boolean {
    return m.id === undefined || !this.seen.has(m.id);
  }

  remember(m: ChatMessage): void {
    if (m.id !== undefined) this.seen.add(m.id);
  }

  /** Moves the cursor to a page's cursor, if it gave one. */
  advance(cursor: unknown): void {
    if (typeof cursor === "string" && cursor !== "") this.cursorValue = cursor;
  }

  /**
   * A page read just after the user's turn: its own messages were shown from the POST answer, so
   * only agents' new replies are returned, each with where it goes. Every message is remembered.
   */
  afterTurn(page: readonly ChatMessage[]): { message: ChatMessage; placement: Placement }[] {
    const out: { message: ChatMessage; placement: Placement }[] = [];
    let passedMine = false;
    for (const m of page) {
      if (m.from === "user") passedMine = true;
      if (m.from === "agent" && this.isNew(m))
        out.push({ message: m, placement: passedMine ? "end" : "before-mine" });
      this.remember(m);
    }
    return out;
  }

  /**
   * A poll's page: what others wrote (agents' replies, the bot's notices such as hand-back or idle),
   * new ones only; the user's own messages are never re-shown. `botToo` is false while a turn is in
   * flight (its bot replies arrive with the POST answer).
   */
  fromOthers(page: readonly ChatMessage[], botToo: boolean): ChatMessage[] {
    const out: ChatMessage[] = [];
    for (const m of page) {
      if ((m.from === "agent" || (m.from === "bot" && botToo)) && this.isNew(m)) {
        this.remember(m);
        out.push(m);
      }
    }
    return out;
  }

  /** A history page: every message not shown yet, in order. */
  unseen(page: readonly ChatMessage[]): ChatMessage[] {
    const out = page.filter((m) => this.isNew(m));
    for (const m of out) this.remember(m);
    return out;
  }
}
