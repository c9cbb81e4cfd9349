import { describe, expect, it } from "vitest";
import { splitText } from "../../../src/channels/split-text.ts";

const chars = (text: string) => [...text].length;

describe("splitText", () => {
  it("returns short text whole, with trailing whitespace trimmed", () => {
    expect(splitText("hello", 10)).toEqual(["hello"]);
    expect(splitText("exactly10!", 10)).toEqual(["exactly10!"]);
    expect(splitText("hi \n\n", 10)).toEqual(["hi"]);
  });

  it("returns no part for empty or blank text", () => {
    expect(splitText("", 10)).toEqual([]);
    expect(splitText(" \n\n \n", 10)).toEqual([]);
  });

  it("cuts at the last line end in the second half of the window, dropping the line breaks", () => {
    // Prepare: a line break at 14 of a 20-character window
    const text = `${"a".repeat(14)}\n${"b".repeat(10)}`;

    // Act
    const parts = splitText(text, 20);

    // Assess
    expect(parts).toEqual(["a".repeat(14), "b".repeat(10)]);
  });

  it("cuts at a paragraph end, and the next part starts with the next paragraph's text", () => {
    // Prepare
    const text = `${"a".repeat(12)}\n\n\n${"b".repeat(12)}`;

    // Act
    const parts = splitText(text, 20);

    // Assess
    expect(parts).toEqual(["a".repeat(12), "b".repeat(12)]);
  });

  it("ignores a line end in the first half of the window and cuts at the limit instead", () => {
    // Prepare: the only line break is at 3 of 20
    const text = `abc\n${"x".repeat(30)}`;

    // Act
    const parts = splitText(text, 20);

    // Assess
    expect(parts).toEqual([`abc\n${"x".repeat(16)}`, "x".repeat(14)]);
  });

  it("counts astral characters (emoji, rare CJK) as one character and never splits a pair", () => {
    // Prepare: 25 characters, 50 UTF-16 code units
    const text = `${"😀𠀀".repeat(12)}😀`;

    // Act
    const parts = splitText(text, 10);

    // Assess
    expect(parts.map(chars)).toEqual([10, 10, 5]);
    expect(parts.join("")).toBe(text);
    for (const part of parts) expect(part).not.toMatch(/^[\udc00-\udfff]|[\ud800-\udbff]$/);
  });

  it("keeps every part within the limit, none empty, and loses no non-space text", () => {
    // Prepare
    const paragraph = "官方客服不会私信你索要助记词。Official support never asks for your seed phrase.";
    const text = [paragraph, "", paragraph.repeat(3), "\n\n", paragraph, "🔒".repeat(40)].join("\n");

    // Act
    const parts = splitText(text, 64);

    // Assess
    expect(parts.length).toBeGreaterThan(3);
    for (const part of parts) {
      expect(chars(part)).toBeLessThanOrEqual(64);
      expect(part.trim()).not.toBe("");
    }
    expect(parts.join("").replace(/\s/g, "")).toBe(text.replace(/\s/g, ""));
  });
});

describe("splitText around runs of spaces", () => {
  it("never returns an empty part when a window holds only spaces", () => {
    const parts = splitText(`a${" ".repeat(10)}b`, 5);
    expect(parts.every((p) => p.trim() !== "")).toBe(true);
    expect(parts.join("").replaceAll(" ", "")).toBe("ab");
  });
});
