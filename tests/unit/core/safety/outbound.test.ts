import { describe, expect, it } from "vitest";
import { loadBrain } from "../../../../src/config.ts";
import { screenOutbound } from "../../../../src/core/safety/outbound.ts";

const { knowledge } = loadBrain();
const screen = (text: string) => screenOutbound(text, knowledge, "en");

describe("screenOutbound: what an agent's reply may say", () => {
  it("lets registry contacts through, however they are written", () => {
    expect(screen("Call +1 202-555-0100 or see https://help.wallet.example.com/en").unofficial).toEqual([]);
  });

  it.each([
    [
      "a zero-width space inside a number",
      "Call 2\u200b0\u200b2\u200b5\u200b5\u200b5\u200b0\u200b1\u200b7\u200b7",
      "2025550177",
    ],
    ["a soft hyphen inside a domain", "Visit evil\u00ad.com/login", "evil.com/login"],
    ["a word joiner inside a domain", "evil\u2060.com", "evil.com"],
    ["a lookalike split by a zero-width space", "wallet-example\u200b.com", "wallet-example.com"],
  ])("names a contact hidden by invisible characters: %s", (_, text, named) => {
    expect(screen(text).unofficial).toEqual([named]);
  });

  it("keeps emoji sequences (their joiners are invisible too) and finds no contact in them", () => {
    expect(screen("ok 👨‍👩‍👧 thanks")).toEqual({ text: "ok 👨‍👩‍👧 thanks", secrets: [], unofficial: [] });
  });

  it("normalises and redacts in one pass", () => {
    const result = screen("code 384920\u0007 \u202eok");
    expect(result).toEqual({ text: "code [REDACTED:code] ok", secrets: ["code"], unofficial: [] });
  });
});
