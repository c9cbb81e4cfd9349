/**
 * What the console shows of a conversation, as text: pure functions of the server's data, the agent
 * signed in, the locale's strings and the time (no DOM: unit tests run them in Node). The server's
 * answers are untrusted data; anything of an unexpected type reads as absent.
 */
import { format } from "../shared/locale.ts";
import { type ConsoleStrings, lookup } from "./strings.ts";

/** An agent as the server names one: `{id, name}` or a bare id (older records). */
export type AgentRef = { id?: unknown; name?: unknown } | string;

export interface Me {
  id: string;
  name: string;
  role: string;
}

/** A conversation from a list or `GET /agent/conversations/{id}`; every field may be missing. */
export interface Conversation {
  id: string;
  status?: unknown;
  priority?: unknown;
  channel?: unknown;
  platform?: unknown;
  language?: unknown;
  waitingSince?: unknown;
  updatedAt?: unknown;
  replyUntil?: unknown;
  claimedBy?: unknown;
  flags?: unknown;
  overdue?: unknown;
  user?: unknown;
}

export interface Message {
  id?: unknown;
  from?: unknown;
  text: string;
  at?: unknown;
  agent?: unknown;
}

export const str = (value: unknown): string => (typeof value === "string" ? value : "");

/** The first six characters of an id, as the lists show it. */
export const shortRef = (id: unknown): string => `#${str(id).slice(0, 6)}`;

/** The conversations of a list answer, those with an id. */
export function conversations(data: unknown): Conversation[] {
  const list = (data as { conversations?: unknown } | null)?.conversations;
  return (Array.isArray(list) ? list : []).filter(
    (c): c is Conversation => !!c && typeof c === "object" && typeof (c as Conversation).id === "string",
  );
}

/** The messages of a conversation answer, those with a text. */
export function messages(data: unknown): Message[] {
  const list = (data as { messages?: unknown } | null)?.messages;
  return (Array.isArray(list) ? list : []).filter(
    (m): m is Message => !!m && typeof m === "object" && typeof (m as Message).text === "string",
  );
}

const agentId = (value: unknown): string =>
  value && typeof value === "object" ? str((value as { id?: unknown }).id) : str(value);

export function isMe(value: unknown, me: Me | null): boolean {
  if (!me || !value) return false;
  const id = agentId(value);
  return id !== "" && (id === me.id || (typeof value === "string" && value === me.name));
}

export function agentName(value: unknown, me: Me | null): string {
  if (!value) return "";
  if (me && isMe(value, me)) return me.name;
  if (typeof value === "object") {
    const { id, name } = value as { id?: unknown; name?: unknown };
    return str(name) || str(id);
  }
  return str(value);
}

export const isMine = (c: Conversation | null, me: Me | null): boolean =>
  !!c && c.status === "agent" && isMe(c.claimedBy, me);

export const channelName = (c: Conversation, T: ConsoleStrings): string =>
  lookup(T, "platform", c.platform) ?? lookup(T, "channel", c.channel) ?? (str(c.channel) || "?");

export const flagList = (c: Conversation): string[] =>
  Array.isArray(c.flags) ? c.flags.filter((f): f is string => typeof f === "string") : [];

export const flagName = (flag: string, T: ConsoleStrings): string =>
  lookup(T, "flag", flag) ?? flag.replace(/_/g, " ");

export const languageName = (language: unknown, T: ConsoleStrings): string =>
  lookup(T, "language", language) ?? "";

/** "3 min", "1 h 05 min", "2 d 4 h" from an ISO time to `now`; "" when the time is unreadable. */
export function since(at: unknown, now: number, T: ConsoleStrings): string {
  const then = Date.parse(str(at));
  if (Number.isNaN(then)) return "";
  const minutes = Math.floor(Math.max(0, now - then) / 60_000);
  if (minutes < 1) return T.lessThanMinute;
  if (minutes < 60) return format(T.sinceMinutes, { m: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 24) {
    const m = minutes % 60;
    return format(T.sinceHours, { h: hours, m, mm: String(m).padStart(2, "0") });
  }
  return format(T.sinceDays, { d: Math.floor(hours / 24), h: hours % 24 });
}

const waiting = (c: Conversation) => c.status === "waiting" && str(c.waitingSince) !== "";

/** The header's timing: "waiting 3 min" or "updated 1 h 05 min ago". */
export const timing = (c: Conversation, now: number, T: ConsoleStrings): string =>
  waiting(c)
    ? format(T.waitingFor, { time: since(c.waitingSince, now, T) })
    : format(T.updatedAgo, { time: since(c.updatedAt, now, T) });

/** A list row's timing: "waiting 3 min" or "1 h 05 min ago". */
export const rowTiming = (c: Conversation, now: number, T: ConsoleStrings): string =>
  waiting(c)
    ? format(T.waitingFor, { time: since(c.waitingSince, now, T) })
    : format(T.timeAgo, { time: since(c.updatedAt, now, T) });

export function statusText(c: Conversation, me: Me | null, T: ConsoleStrings): string {
  if (c.status === "waiting") return T.statusWaiting;
  if (c.status === "agent") return isMine(c, me) ? T.statusMine : T.statusAgent;
  if (c.status === "closed") return T.statusClosed;
  return T.statusBot;
}

/** Why the composer is closed for this agent, or "" when the conversation is theirs. */
export function readOnlyText(c: Conversation, me: Me | null, T: ConsoleStrings): string {
  if (c.status === "waiting") return T.claimFirst;
  if (c.status === "agent" && !isMine(c, me)) {
    return format(T.claimedByReadOnly, { name: agentName(c.claimedBy, me) || T.fromAgent });
  }
  if (c.status === "closed") return T.closedText;
  if (c.status !== "agent") return T.botHandles;
  return "";
}

export type MessageKind = "user" | "bot" | "agent" | "note";
export const messageKind = (m: Message): MessageKind =>
  m.from === "note" || m.from === "agent" || m.from === "bot" ? m.from : "user";

/** A message's identity in the transcript: its id, or what it says and when for an id-less one. */
export const messageKey = (m: Message): string =>
  typeof m.id === "string" ? m.id : `${str(m.at)}|${str(m.from)}|${m.text}`;

/** Who wrote a message, as the transcript labels it. */
export function authorLabel(m: Message, me: Me | null, T: ConsoleStrings): string {
  const kind = messageKind(m);
  if (kind === "bot") return T.fromBot;
  if (kind === "agent") return agentName(m.agent, me) || T.fromAgent;
  if (kind === "note") return T.noteLabel;
  return T.fromUser;
}

/**
 * Clock times in the agent's locale and time zone (the browser's unless one is given): "14:05" for
 * today in that zone, "Dec 3, 14:05" before.
 */
export class Clock {
  readonly timeZone: string;
  private readonly time: Intl.DateTimeFormat;
  private readonly dateTime: Intl.DateTimeFormat;
  private readonly day: Intl.DateTimeFormat;

  constructor(locale: string, timeZone?: string) {
    const zone = timeZone ? { timeZone } : {};
    this.time = new Intl.DateTimeFormat(locale, { ...zone, hour: "2-digit", minute: "2-digit" });
    this.dateTime = new Intl.DateTimeFormat(locale, {
      ...zone,
      month: "short",
      day: "numeric",
      hour: "2-digit",
      minute: "2-digit",
    });
    this.timeZone = this.time.resolvedOptions().timeZone;
    this.day = new Intl.DateTimeFormat("en-CA", { timeZone: this.timeZone, dateStyle: "short" });
  }

  /** The time of an ISO timestamp; "" when it is unreadable. */
  format(at: unknown, now: number): string {
    const date = new Date(str(at));
    if (Number.isNaN(date.getTime())) return "";
    const today = this.day.format(date) === this.day.format(now);
    return (today ? this.time : this.dateTime).format(date);
  }
}

/** What rendering needs besides the data: the strings, who is signed in, and the time. */
export interface ViewContext {
  locale: string;
  T: ConsoleStrings;
  me: Me | null;
  now: number;
  clock: Clock;
}

/** A canned reply from `GET /agent/me`: its texts by language, registry contacts already filled in. */
export interface CannedReply {
  id: string;
  label: string;
  text: Record<string, unknown>;
}

export function cannedReplies(value: unknown): CannedReply[] {
  return (Array.isArray(value) ? value : []).filter(
    (r): r is CannedReply =>
      !!r &&
      typeof r.id === "string" &&
      typeof r.label === "string" &&
      !!r.text &&
      typeof r.text === "object",
  );
}

/** The canned reply's text in the user's language, else English, else any it has. */
export function cannedText(reply: CannedReply, language: unknown): string {
  const texts = reply.text;
  const own = typeof language === "string" && Object.hasOwn(texts, language) ? str(texts[language]) : "";
  return own || str(texts.en) || str(Object.values(texts)[0]);
}
