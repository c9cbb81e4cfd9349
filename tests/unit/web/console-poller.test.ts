import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { Poller } from "../../../web/console/poller.ts";

/** The console's polling loop, on vitest's fake clock (exact, whatever the machine's load). */
beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});
const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);

describe("Poller", () => {
  it("runs at once, then every interval, and not after stop", async () => {
    let runs = 0;
    const poller = new Poller(
      async () => {
        runs += 1;
      },
      { intervalMs: 3000, maxDelayMs: 30_000 },
    );
    poller.start();
    await advance(0);
    expect(runs).toBe(1);
    await advance(9000);
    expect(runs).toBe(4);
    poller.stop();
    await advance(30_000);
    expect(runs).toBe(4);
  });

  it("waits twice as long after each failure, up to the limit, reports them, and recovers", async () => {
    const health: number[] = [];
    const at: number[] = [];
    let fail = true;
    const poller = new Poller(
      async () => {
        at.push(Date.now());
        if (fail) throw new Error("down");
      },
      { intervalMs: 3000, maxDelayMs: 30_000, onHealth: (n) => health.push(n) },
    );
    const start = Date.now();
    poller.start();
    await advance(6000 + 12_000 + 24_000 + 30_000);
    // Runs at 0, then 6 s, 12 s, 24 s after each (2^n × 3 s), then capped at 30 s.
    expect(at.map((t) => t - start)).toEqual([0, 6000, 18_000, 42_000, 72_000]);
    expect(health).toEqual([1, 2, 3, 4, 5]);
    fail = false;
    await advance(30_000);
    expect(health.at(-1)).toBe(0);
    await advance(3000);
    expect((at.at(-1) ?? 0) - (at.at(-2) ?? 0)).toBe(3000);
    poller.stop();
  });

  it("counts nothing for a fatal failure, and schedules nothing after it", async () => {
    const health: number[] = [];
    let runs = 0;
    const poller = new Poller(
      async () => {
        runs += 1;
        throw new Error("401");
      },
      { intervalMs: 10, maxDelayMs: 50, onHealth: (n) => health.push(n), isFatal: () => true },
    );
    poller.start();
    await advance(1000);
    expect(runs).toBe(1);
    expect(health).toEqual([]);
    poller.stop();
  });

  it("runs once more right after a run that was asked for meanwhile, never two at a time", async () => {
    let active = 0;
    let most = 0;
    let runs = 0;
    const poller = new Poller(
      async () => {
        runs += 1;
        active += 1;
        most = Math.max(most, active);
        await new Promise((resolve) => setTimeout(resolve, 500));
        active -= 1;
      },
      { intervalMs: 3000, maxDelayMs: 30_000 },
    );
    poller.start();
    await advance(100);
    poller.now();
    poller.now();
    await advance(1200);
    expect(runs).toBe(2);
    expect(most).toBe(1);
    poller.stop();
  });

  it("pauses while the tab is hidden and runs at once when it is shown", async () => {
    let hidden = false;
    let runs = 0;
    const poller = new Poller(
      async () => {
        runs += 1;
      },
      { intervalMs: 3000, maxDelayMs: 30_000, hidden: () => hidden },
    );
    poller.start();
    await advance(0);
    hidden = true;
    poller.visibilityChanged();
    await advance(60_000);
    expect(runs).toBe(1);
    hidden = false;
    poller.visibilityChanged();
    await advance(0);
    expect(runs).toBe(2);
    poller.stop();
  });
});
