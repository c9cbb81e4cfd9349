import { make } from "../shared/dom.ts";
import { format } from "../shared/locale.ts";
import {
  type Conversation,
  channelName,
  flagList,
  flagName,
  isMine,
  readOnlyText,
  shortRef,
  statusText,
  str,
  timing,
  type ViewContext,
} from "./format.ts";
import { languageBadge } from "./lists.ts";
import { badge, type ConsoleElements } from "./view.ts";

/** WhatsApp and Messenger take an agent's reply only for a while after the user's last message. */
function replyWindow(c: Conversation, ctx: ViewContext): HTMLElement | null {
  const until = Date.parse(str(c.replyUntil));
  if (Number.isNaN(until) || c.status === "closed" || c.status === "bot") return null;
  if (until <= ctx.now) return badge("overdue", ctx.T.windowClosed, ctx.T.windowClosedTitle);
  return make("span", "meta", format(ctx.T.replyBy, { time: ctx.clock.format(c.replyUntil, ctx.now) }));
}

/**
 * The open conversation's header: reference, user, status badges, and the actions this agent may
 * take (Claim a waiting one; Hand back and Resolve their own). Returns whether the agent may reply.
 */
export function renderHeader(el: ConsoleElements, c: Conversation, ctx: ViewContext): boolean {
  const { T } = ctx;
  el.convRef.textContent = shortRef(c.id);
  el.convRef.title = c.id;
  el.convUser.textContent = str(c.user) ? `${T.userLabel} ${str(c.user)}` : "";
  const parts = [badge("status", statusText(c, ctx.me, T))];
  if (c.priority === "urgent") parts.push(badge("urgent", T.urgent));
  if (c.overdue === true) parts.push(badge("overdue", T.overdue));
  for (const f of flagList(c)) parts.push(badge("flag", flagName(f, T)));
  parts.push(
    make("span", "meta", channelName(c, T)),
    languageBadge(c.language, ctx),
    make("span", "meta", timing(c, ctx.now, T)),
  );
  const window = replyWindow(c, ctx);
  if (window) parts.push(window);
  el.convMeta.replaceChildren(...parts);
  const mine = isMine(c, ctx.me);
  el.claim.hidden = c.status !== "waiting";
  el.handback.hidden = !mine;
  el.resolve.hidden = !mine;
  const reason = readOnlyText(c, ctx.me, T);
  el.readonly.textContent = reason;
  el.readonly.hidden = reason === "";
  return mine;
}

/** The header while the conversation loads: its reference and nothing to act on. */
export function renderLoadingHeader(el: ConsoleElements, id: string, T: ViewContext["T"]): void {
  el.convRef.textContent = shortRef(id);
  el.convRef.title = id;
  el.convUser.textContent = "";
  el.convMeta.replaceChildren(make("span", "meta", T.loading));
  for (const button of [el.claim, el.handback, el.resolve]) button.hidden = true;
  el.readonly.hidden = true;
}
