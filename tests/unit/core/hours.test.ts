import { describe, expect, it } from "vitest";
import { loadBrain } from "../../../src/config.ts";
import { isOpen, nextOpening } from "../../../src/core/hours.ts";

const { knowledge } = loadBrain();
const hours = knowledge.hours;
/** Shanghai wall-clock time as a UTC instant (UTC+8, no daylight saving). */
const shanghai = (iso: string) => new Date(`${iso}+08:00`);

describe("business hours in the team's time zone", () => {
  it("is open inside the day's ranges and closed outside them", () => {
    expect(isOpen(hours, shanghai("2026-11-23T09:00:00"))).toBe(true); // Monday 09:00
    expect(isOpen(hours, shanghai("2026-11-23T20:59:00"))).toBe(true);
    expect(isOpen(hours, shanghai("2026-11-23T21:00:00"))).toBe(false);
    expect(isOpen(hours, shanghai("2026-11-22T09:30:00"))).toBe(false); // Sunday opens at 10:00
  });

  it("names the next opening in the reply language, later today or on a later day", () => {
    expect(nextOpening(hours, shanghai("2026-11-23T07:00:00"), knowledge, "en")).toMatch(
      /^Mon 09:00 \(GMT\+8\)$/,
    );
    expect(nextOpening(hours, shanghai("2026-11-27T22:00:00"), knowledge, "zh-Hans")).toMatch(
      /^周六 10:00 \(GMT\+8\)$/,
    );
  });

  it("skips closed dates", () => {
    const holiday = { ...hours, closed: ["2026-11-24"] };
    expect(isOpen(holiday, shanghai("2026-11-24T12:00:00"))).toBe(false);
    expect(nextOpening(holiday, shanghai("2026-11-23T22:00:00"), knowledge, "en")).toMatch(/^Wed 09:00/);
  });
});
