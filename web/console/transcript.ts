import { make } from "../shared/dom.ts";
import { agentName, authorLabel, type Message, messageKey, messageKind, type ViewContext } from "./format.ts";

/**
 * The open conversation's transcript: a keyed list of messages. Messages never change, so a node is
 * built once and new ones are inserted where they belong; the view sticks to the bottom when the
 * agent was already there. Text goes in with `textContent` only.
 */
export class Transcript {
  private readonly rendered = new Map<string, HTMLElement>();
  private last: readonly Message[] = [];
  private seq = 0;

  constructor(
    private readonly log: HTMLElement,
    private readonly scroll: HTMLElement,
    private readonly empty: HTMLElement,
  ) {}

  private render(m: Message, ctx: ViewContext): HTMLElement {
    const kind = messageKind(m);
    const article = make("article", `msg ${kind}`);
    const who = make("p", "who");
    this.seq += 1;
    const name = make("span", "name", authorLabel(m, ctx.me, ctx.T));
    name.id = `author-${this.seq}`;
    article.setAttribute("aria-labelledby", name.id);
    who.append(name);
    const extra: string[] = [];
    if (kind === "note" && m.agent) extra.push(agentName(m.agent, ctx.me));
    const time = ctx.clock.format(m.at, ctx.now);
    if (time) extra.push(time);
    if (extra.length > 0) who.append(make("span", "", ` \u00b7 ${extra.join(" \u00b7 ")}`));
    article.append(who, make("p", "bubble", m.text));
    return article;
  }

  /** Shows exactly these messages, in this order. */
  sync(messages: readonly Message[], ctx: ViewContext): void {
    this.last = messages;
    const stick = this.scroll.scrollHeight - this.scroll.scrollTop - this.scroll.clientHeight < 80;
    const keep = new Set<string>();
    let previous: HTMLElement | null = null;
    for (const m of messages) {
      const key = messageKey(m);
      if (keep.has(key)) continue;
      keep.add(key);
      let node = this.rendered.get(key);
      if (!node) {
        node = this.render(m, ctx);
        this.rendered.set(key, node);
      }
      const expected: ChildNode | null = previous ? previous.nextSibling : this.log.firstChild;
      if (expected !== node) this.log.insertBefore(node, expected);
      previous = node;
    }
    for (const [key, node] of this.rendered) {
      if (!keep.has(key)) {
        node.remove();
        this.rendered.delete(key);
      }
    }
    this.empty.hidden = this.rendered.size > 0;
    if (stick) this.toBottom();
  }

  /** One message the agent just sent, at the end (the next poll puts it where the server has it). */
  append(m: Message, ctx: ViewContext): void {
    const key = messageKey(m);
    if (this.rendered.has(key)) return;
    const node = this.render(m, ctx);
    this.rendered.set(key, node);
    this.last = [...this.last, m];
    this.log.append(node);
    this.empty.hidden = true;
    this.toBottom();
  }

  /** Every message built again (the locale changed: author labels and times). */
  relabel(ctx: ViewContext): void {
    const messages = this.last;
    this.clear();
    this.sync(messages, ctx);
  }

  clear(): void {
    this.rendered.clear();
    this.last = [];
    this.log.replaceChildren();
  }

  toBottom(): void {
    this.scroll.scrollTop = this.scroll.scrollHeight;
  }
}
