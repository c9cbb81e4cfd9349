import { describe, expect, it } from "vitest";
import { loadContent } from "../../../src/content-loader.ts";
import { formatHours, render, templateFields } from "../../../src/core/render.ts";

const { knowledge } = loadContent();

describe("render", () => {
  it("fills brand, contacts and caller values", () => {
    expect(render("{{brand}}: {{contact:email}} ({{day}})", knowledge, "en", { day: "Mon" })).toBe(
      "Example Wallet: support@wallet.example.com (Mon)",
    );
    expect(render("{{ brand }}", knowledge, "zh-Hant")).toBe("示例錢包");
  });

  it("throws on a field it cannot fill instead of sending it to a user", () => {
    expect(() => render("{{contact:nope}}", knowledge, "en")).toThrow(/unknown contact field/);
    expect(() => render("{{day}}", knowledge, "en")).toThrow(/no value for field/);
  });

  it("lists template fields", () => {
    expect(templateFields("a {{brand}} b {{contact:x}}")).toEqual(["brand", "contact:x"]);
  });
});

describe("formatHours", () => {
  it("groups days with the same hours and names the UTC offset", () => {
    expect(formatHours(knowledge.hours, knowledge, "en")).toBe(
      "Mon–Fri 09:00–21:00; Sat–Sun 10:00–18:00 (GMT+8)",
    );
    expect(formatHours(knowledge.hours, knowledge, "zh-Hans")).toBe(
      "周一–周五 09:00–21:00；周六–周日 10:00–18:00 (GMT+8)",
    );
  });

  it("leaves out closed days", () => {
    const hours = { ...knowledge.hours, weekly: { ...knowledge.hours.weekly, sat: [], sun: [] } };
    expect(formatHours(hours, knowledge, "en")).toBe("Mon–Fri 09:00–21:00 (GMT+8)");
  });
});
