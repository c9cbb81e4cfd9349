/**
 * Runs `task` every `intervalMs` while started and the tab is visible; after a failure it waits
 * twice as long each time (up to `maxDelayMs`). `now()` runs it at once, or right after the run in
 * progress. `onHealth` hears how many runs in a row failed (the console shows "retrying…" from two).
 * A failure `isFatal` says ends nothing and counts nothing (a 401: the session is over).
 */
export interface PollerOptions {
  intervalMs: number;
  maxDelayMs: number;
  onHealth?: (failures: number) => void;
  isFatal?: (error: unknown) => boolean;
  /** Whether the page is hidden (tests run without a document). */
  hidden?: () => boolean;
}

export class Poller {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private inFlight = false;
  private again = false;
  private failures = 0;
  private readonly hidden: () => boolean;

  constructor(
    private readonly task: () => Promise<void>,
    private readonly options: PollerOptions,
  ) {
    this.hidden = options.hidden ?? (() => false);
  }

  get active(): boolean {
    return this.running;
  }

  start(): void {
    this.running = true;
    this.failures = 0;
    this.schedule(0);
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /** The tab was hidden (pause) or shown again (run now, errors forgiven). */
  visibilityChanged(): void {
    if (this.hidden()) {
      clearTimeout(this.timer);
      this.timer = undefined;
    } else if (this.running) {
      this.failures = 0;
      this.schedule(0);
    }
  }

  now(): void {
    if (this.inFlight) this.again = true;
    else this.schedule(0);
  }

  private schedule(delay: number): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.running || this.hidden()) return;
    this.timer = setTimeout(() => void this.run(), delay);
  }

  private async run(): Promise<void> {
    this.timer = undefined;
    if (!this.running || this.hidden()) return;
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    try {
      await this.task();
      this.failures = 0;
    } catch (error) {
      if (this.options.isFatal?.(error)) return;
      this.failures += 1;
    } finally {
      this.inFlight = false;
    }
    if (!this.running) return;
    this.options.onHealth?.(this.failures);
    if (this.again) {
      this.again = false;
      this.schedule(0);
      return;
    }
    const { intervalMs, maxDelayMs } = this.options;
    this.schedule(this.failures === 0 ? intervalMs : Math.min(intervalMs * 2 ** this.failures, maxDelayMs));
  }
}
