import { make } from "../shared/dom.ts";
import {
  type Conversation,
  channelName,
  flagList,
  flagName,
  languageName,
  rowTiming,
  shortRef,
  str,
  type ViewContext,
} from "./format.ts";
import { badge } from "./view.ts";

/** A list's nodes: the `<ul>`, the note under it ("No one is waiting.") and the count in its head. */
export interface ListNodes {
  list: HTMLElement;
  note: HTMLElement;
  count: HTMLElement;
}

export function languageBadge(language: unknown, ctx: ViewContext): HTMLElement {
  return badge("lang", str(language) || "?", languageName(language, ctx.T));
}

function rowContent(c: Conversation, ctx: ViewContext): HTMLElement[] {
  const { T } = ctx;
  const first = make("span", "line first");
  const urgent = c.priority === "urgent";
  first.append(
    badge(urgent ? "urgent" : "normal", urgent ? T.urgent : T.normal),
    make("span", "", channelName(c, T)),
    languageBadge(c.language, ctx),
    make("span", "grow"),
    make("span", "ref", shortRef(c.id)),
  );
  const second = make("span", "line");
  second.append(make("span", "meta", rowTiming(c, ctx.now, T)));
  if (c.overdue === true) second.append(badge("overdue", T.overdue));
  for (const f of flagList(c)) second.append(badge("flag", flagName(f, T)));
  return [first, second];
}

/** What a row shows, as one string: the row is rebuilt only when this changes. */
const rowSignature = (c: Conversation, ctx: ViewContext) =>
  [
    ctx.locale,
    str(c.priority),
    str(c.channel),
    str(c.platform),
    str(c.language),
    rowTiming(c, ctx.now, ctx.T),
    c.overdue === true,
    flagList(c).join(","),
    c.id,
  ].join("|");

/**
 * Keyed update of a list: rows are reused (a focused row keeps its focus), reordered and refreshed
 * in place; a click on one calls `onOpen` with its conversation id.
 */
export function syncList(
  nodes: ListNodes,
  items: readonly Conversation[],
  emptyText: string,
  openId: string | null,
  ctx: ViewContext,
  onOpen: (id: string) => void,
): void {
  const { list, note, count } = nodes;
  const active = document.activeElement;
  const byKey = new Map<string, HTMLElement>();
  for (const li of list.children) if (li instanceof HTMLElement) byKey.set(li.dataset.id ?? "", li);
  let previous: HTMLElement | null = null;
  for (const c of items) {
    let li = byKey.get(c.id);
    let button: HTMLButtonElement;
    if (li) {
      byKey.delete(c.id);
      button = li.firstElementChild as HTMLButtonElement;
    } else {
      li = make("li");
      li.dataset.id = c.id;
      button = make("button", "row");
      button.type = "button";
      button.addEventListener("click", () => onOpen(c.id));
      li.append(button);
    }
    const signature = rowSignature(c, ctx);
    if (button.dataset.signature !== signature) {
      button.dataset.signature = signature;
      button.replaceChildren(...rowContent(c, ctx));
    }
    button.setAttribute("aria-current", c.id === openId ? "true" : "false");
    const expected: ChildNode | null = previous ? previous.nextSibling : list.firstChild;
    if (expected !== li) list.insertBefore(li, expected);
    previous = li;
  }
  for (const li of byKey.values()) li.remove();
  if (active instanceof HTMLElement && active !== document.activeElement && active.isConnected) {
    active.focus({ preventScroll: true });
  }
  count.textContent = String(items.length);
  note.textContent = emptyText;
  note.classList.remove("bad");
  note.hidden = items.length > 0;
}

/** Marks the open conversation's row in every list (`aria-current`), and no other. */
export function markCurrent(root: ParentNode, openId: string | null): void {
  for (const button of root.querySelectorAll<HTMLElement>(".row")) {
    const id = button.parentElement?.dataset.id;
    button.setAttribute("aria-current", openId !== null && id === openId ? "true" : "false");
  }
}

/** The list's note turned into an error ("Couldn't load this list."), the rows left as they were. */
export function listFailed(nodes: ListNodes, text: string): void {
  nodes.note.textContent = text;
  nodes.note.classList.add("bad");
  nodes.note.hidden = false;
}
