import { describe, expect, it } from "vitest";
import {
  authorLabel,
  Clock,
  cannedReplies,
  cannedText,
  channelName,
  conversations,
  type Me,
  messageKey,
  messages,
  readOnlyText,
  rowTiming,
  since,
  statusText,
  timing,
} from "../../../web/console/format.ts";
import { uiStrings } from "../../support/ui-strings.ts";

/** The console's text for the server's data: pure functions, in each of its languages. */
const EN = uiStrings("console", "en");
const HANS = uiStrings("console", "zh-Hans");
const HANT = uiStrings("console", "zh-Hant");
const ME: Me = { id: "agent-1", name: "Alice", role: "agent" };
const NOW = Date.parse("2026-12-05T12:00:00Z");
const ago = (minutes: number) => new Date(NOW - minutes * 60_000).toISOString();

describe("since", () => {
  it("says minutes, hours with padded minutes, and days with hours, in the locale's words", () => {
    expect(since(ago(0.5), NOW, EN)).toBe(EN.lessThanMinute);
    expect(since(ago(3), NOW, EN)).toBe("3 min");
    expect(since(ago(65), NOW, EN)).toBe("1 h 05 min");
    expect(since(ago(65), NOW, HANS)).toBe("1 小时 5 分钟");
    expect(since(ago(60 * 50), NOW, HANT)).toBe("2 天 2 小時");
  });

  it("reads a time in the future as now, and an unreadable one as nothing", () => {
    expect(since(ago(-10), NOW, EN)).toBe(EN.lessThanMinute);
    expect(since("yesterday", NOW, EN)).toBe("");
    expect(since(42, NOW, EN)).toBe("");
  });
});

describe("timing", () => {
  it("counts a waiting conversation's wait, any other's last update", () => {
    const waitingOne = { id: "c1", status: "waiting", waitingSince: ago(3), updatedAt: ago(1) };
    expect(timing(waitingOne, NOW, EN)).toBe("waiting 3 min");
    expect(rowTiming(waitingOne, NOW, HANS)).toBe("已等待 3 分钟");
    const withAgent = { id: "c2", status: "agent", updatedAt: ago(125) };
    expect(timing(withAgent, NOW, EN)).toBe("updated 2 h 05 min ago");
    expect(rowTiming(withAgent, NOW, EN)).toBe("2 h 05 min ago");
    expect(timing(withAgent, NOW, HANS)).toBe("更新于 2 小时 5 分钟前");
  });
});

describe("who may do what", () => {
  it("tells the agent whose conversation it is and why they cannot write", () => {
    const mine = { id: "c1", status: "agent", claimedBy: { id: "agent-1", name: "Alice" } };
    const theirs = { id: "c2", status: "agent", claimedBy: { id: "agent-2", name: "Bo" } };
    expect(statusText(mine, ME, EN)).toBe(EN.statusMine);
    expect(readOnlyText(mine, ME, EN)).toBe("");
    expect(statusText(theirs, ME, EN)).toBe(EN.statusAgent);
    expect(readOnlyText(theirs, ME, EN)).toBe("Claimed by Bo — read only.");
    expect(readOnlyText(theirs, ME, HANT)).toBe("已由 Bo 認領，目前為唯讀。");
    expect(readOnlyText({ id: "c3", status: "waiting" }, ME, EN)).toBe(EN.claimFirst);
    expect(readOnlyText({ id: "c4", status: "closed" }, ME, EN)).toBe(EN.closedText);
    expect(readOnlyText({ id: "c5", status: "bot" }, ME, EN)).toBe(EN.botHandles);
    // Signed out (no agent): nothing is anyone's.
    expect(readOnlyText(mine, null, EN)).toBe("Claimed by Alice — read only.");
  });

  it("names the platform before the channel, and an unknown channel as the server wrote it", () => {
    expect(channelName({ id: "c", channel: "meta", platform: "whatsapp" }, EN)).toBe("WhatsApp");
    expect(channelName({ id: "c", channel: "web" }, HANS)).toBe(HANS.channel_web);
    expect(channelName({ id: "c", channel: "line" }, EN)).toBe("line");
    expect(channelName({ id: "c", channel: "toString" }, EN)).toBe("toString");
    expect(channelName({ id: "c" }, EN)).toBe("?");
  });

  it("labels authors: the agent by name, a note as a note, anything unknown as the user", () => {
    expect(authorLabel({ from: "agent", text: "hi", agent: { id: "agent-1" } }, ME, EN)).toBe("Alice");
    expect(authorLabel({ from: "agent", text: "hi" }, ME, HANS)).toBe(HANS.fromAgent);
    expect(authorLabel({ from: "note", text: "n" }, ME, EN)).toBe(EN.noteLabel);
    expect(authorLabel({ from: "<img src=x>", text: "?" }, ME, EN)).toBe(EN.fromUser);
  });
});

describe("reading the server's answers", () => {
  it("keeps conversations with an id and messages with a text, drops the rest", () => {
    expect(conversations({ conversations: [{ id: "a" }, { id: 7 }, null, "x"] })).toEqual([{ id: "a" }]);
    expect(conversations({ conversations: "nope" })).toEqual([]);
    expect(conversations(null)).toEqual([]);
    expect(messages({ messages: [{ text: "ok" }, { text: 1 }, []] })).toEqual([{ text: "ok" }]);
  });

  it("keys a message by its id, or by when, who and what for one without", () => {
    expect(messageKey({ id: "m1", text: "a" })).toBe("m1");
    expect(messageKey({ at: "t", from: "user", text: "a" })).toBe("t|user|a");
  });

  it("picks a canned reply's text in the user's language, else English, else any", () => {
    const [reply] = cannedReplies([
      { id: "r1", label: "Hours", text: { "zh-Hant": "營業時間", en: "Our hours" } },
      { id: 2, label: "bad", text: {} },
    ]);
    if (!reply) throw new Error("the canned reply was dropped");
    expect(cannedText(reply, "zh-Hant")).toBe("營業時間");
    expect(cannedText(reply, "zh-Hans")).toBe("Our hours");
    expect(cannedText(reply, "__proto__")).toBe("Our hours");
    expect(cannedText({ id: "r", label: "l", text: { "zh-Hans": "只有简体" } }, "en")).toBe("只有简体");
  });
});

describe("Clock", () => {
  const at = "2026-12-05T11:30:00Z";

  it("shows times in the zone it is given: today's as a time, earlier ones with the date", () => {
    const taipei = new Clock("en-US", "Asia/Taipei");
    expect(taipei.timeZone).toBe("Asia/Taipei");
    expect(taipei.format(at, NOW)).toBe("07:30 PM");
    expect(new Clock("en-GB", "UTC").format(at, NOW)).toBe("11:30");
    // 01:00 on the 5th in Taipei is still the 4th in UTC.
    expect(new Clock("en-GB", "UTC").format("2026-12-04T17:00:00Z", NOW)).toBe("4 Dec, 17:00");
    expect(new Clock("en-GB", "Asia/Taipei").format("2026-12-04T17:00:00Z", NOW)).toBe("01:00");
  });

  it("shows nothing for a time it cannot read", () => {
    expect(new Clock("zh-Hans", "UTC").format("soon", NOW)).toBe("");
    expect(new Clock("zh-Hans", "UTC").format(undefined, NOW)).toBe("");
  });
});
