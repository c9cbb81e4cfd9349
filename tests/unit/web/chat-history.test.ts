import { describe, expect, it } from "vitest";
import { asMessage, type ChatMessage, History } from "../../../web/chat/history.ts";

const user = (id: string, text = "hi"): ChatMessage => ({ id, from: "user", text });
const bot = (id: string, text = "hello"): ChatMessage => ({ id, from: "bot", text });
const agent = (id: string, text = "agent here"): ChatMessage => ({
  id,
  from: "agent",
  text,
  at: "2026-12-04T10:00:00Z",
});

describe("asMessage", () => {
  it("keeps a server message the page can show, and drops anything else", () => {
    expect(asMessage({ id: "m1", from: "agent", text: "hi", at: "2026-12-04T10:00:00Z", extra: 1 })).toEqual({
      id: "m1",
      from: "agent",
      text: "hi",
      at: "2026-12-04T10:00:00Z",
    });
    expect(asMessage({ from: "note", text: "internal" })).toBeUndefined();
    expect(asMessage({ from: "bot", text: 42 })).toBeUndefined();
    expect(asMessage("<b>hi</b>")).toBeUndefined();
    expect(asMessage(null)).toBeUndefined();
    expect(asMessage({ from: "bot", text: "no id", id: 7 })).toEqual({ from: "bot", text: "no id" });
  });
});

describe("History", () => {
  it("moves the cursor only forward: an empty or missing cursor keeps the last one", () => {
    // Prepare
    const history = new History();

    // Act
    history.advance("c1");
    history.advance("");
    history.advance(undefined);
    history.advance(42);

    // Assess
    expect(history.cursor).toBe("c1");
    history.advance("c2");
    expect(history.cursor).toBe("c2");
  });

  it("shows the history once, however often its pages come back", () => {
    const history = new History();
    expect(history.unseen([user("1"), bot("2")])).toEqual([user("1"), bot("2")]);
    expect(history.unseen([user("1"), bot("2"), agent("3")])).toEqual([agent("3")]);
    expect(history.unseen([agent("3")])).toEqual([]);
  });

  it("after a turn, places an agent's earlier reply above the user's message and a later one at the end", () => {
    // Prepare: the turn's own messages were shown from the POST answer
    const history = new History();
    history.remember(user("u1"));

    // Act
    const placed = history.afterTurn([agent("a1", "before"), user("u1"), bot("b1"), agent("a2", "after")]);

    // Assess
    expect(placed).toEqual([
      { message: agent("a1", "before"), placement: "before-mine" },
      { message: agent("a2", "after"), placement: "end" },
    ]);
    // Everything on the page is remembered: a poll of the same page shows nothing again.
    expect(history.fromOthers([agent("a1"), bot("b1"), agent("a2")], true)).toEqual([]);
  });

  it("polls show what others wrote, never the user's own messages, and bot notices only between turns", () => {
    const history = new History();
    const page = [user("u1"), bot("b1", "handed back"), agent("a1")];
    expect(history.fromOthers(page, false)).toEqual([agent("a1")]);
    expect(history.fromOthers(page, true)).toEqual([bot("b1", "handed back")]);
    expect(history.fromOthers(page, true)).toEqual([]);
  });

  it("cannot tell messages without an id apart, so each counts as new", () => {
    const history = new History();
    const nameless: ChatMessage = { from: "agent", text: "hi" };
    history.remember(nameless);
    expect(history.isNew(nameless)).toBe(true);
  });
});
