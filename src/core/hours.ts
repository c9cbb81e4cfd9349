import { type HoursFile, type Knowledge, WEEKDAYS } from "./content.ts";
import type { Locale } from "./locale.ts";

/** The wall clock of the support team at an instant: date, weekday index (0 = Monday), minutes. */
function local(hours: HoursFile, at: Date): { date: string; weekday: number; minutes: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: hours.timezone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      weekday: "short",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].indexOf(parts.weekday ?? "");
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    weekday,
    minutes: Number(parts.hour) * 60 + Number(parts.minute),
  };
}

function ranges(hours: HoursFile, weekday: number): [number, number][] {
  const day = WEEKDAYS[weekday];
  if (!day) return [];
  return hours.weekly[day].map((r) => {
    const [from = "", to = ""] = r.split("-");
    const minutes = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3, 5));
    return [minutes(from), minutes(to)];
  });
}

export function isOpen(hours: HoursFile, at: Date): boolean {
  const now = local(hours, at);
  if (hours.closed.includes(now.date)) return false;
  return ranges(hours, now.weekday).some(([from, to]) => now.minutes >= from && now.minutes < to);
}

/** When the team is next at work, as "<weekday> HH:MM (<zone>)" in the reply language; undefined if never. */
export function nextOpening(
  hours: HoursFile,
  at: Date,
  knowledge: Knowledge,
  locale: Locale,
): string | undefined {
  const names = knowledge.messages.weekdays[locale].split(",");
  for (let d = 0; d < 15; d++) {
    const day = new Date(at.getTime() + d * 86_400_000);
    const when = local(hours, day);
    if (hours.closed.includes(when.date)) continue;
    const start = ranges(hours, when.weekday)
      .map(([from]) => from)
      .filter((from) => d > 0 || from > when.minutes)
      .sort((a, b) => a - b)[0];
    if (start === undefined) continue;
    const hhmm = `${String(Math.floor(start / 60)).padStart(2, "0")}:${String(start % 60).padStart(2, "0")}`;
    const zone = new Intl.DateTimeFormat("en-US", { timeZone: hours.timezone, timeZoneName: "shortOffset" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value;
    return `${names[when.weekday] ?? ""} ${hhmm} (${zone ?? hours.timezone})`;
  }
  return undefined;
}
