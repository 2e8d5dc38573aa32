import type { Log } from './log.js';
import { StartAbortedError } from './options.js';

/**
 * What start-up started, in order, so that `stopAll` stops it in reverse — whether start-up
 * finished, failed half-way or was interrupted — and the timings of its phases.
 */
export class Lifecycle {
  private readonly stops: Array<{ name: string; stop: () => Promise<void>; crash?: () => Promise<void> }> = [];
  private stopped = false;
  private stopping?: Promise<void>;
  private readonly t0 = Date.now();
  readonly timings: Record<string, number> = {};

  constructor(
    private readonly log: Log,
    private readonly signal?: AbortSignal,
  ) {}

  /** Milliseconds from the start to the end of a phase. */
  mark(phase: string): number {
    return (this.timings[phase] = Date.now() - this.t0);
  }

  /**
   * `stop` is the clean stop (flush, then end); `crash`, when given, is what a SIGKILL of the
   * whole cloud would leave of it (kill without flushing) — used by the `stopUncleanly` test hook.
   */
  register(name: string, stop: () => Promise<void>, crash?: () => Promise<void>): void {
    // Something that finished starting after an abort is stopped at once.
    if (this.stopped) void stop().catch(() => undefined);
    else this.stops.push({ name, stop, crash });
  }

  /** Ends everything as a crash would: processes killed, nothing flushed; only the ports are freed. */
  crash(): Promise<void> {
    return (this.stopping ??= (async () => {
      this.stopped = true;
      for (const s of this.stops.reverse()) await (s.crash ?? s.stop)().catch(() => undefined);
    })());
  }

  checkAborted(): void {
    if (this.signal?.aborted) throw new StartAbortedError();
  }

  get isStopping(): boolean {
    return this.stopped;
  }

  /** Why the cloud stopped itself, once it has (an emulator that keeps dying). */
  failure?: string;
  private failed?: (reason: string) => void;
  /** Resolves with the reason if the cloud ever stops itself; never resolves otherwise. */
  readonly fatal = new Promise<string>((resolve) => (this.failed = resolve));

  /** Stops the whole cloud because part of it cannot be kept running, saying why. */
  fail(reason: string): void {
    if (this.stopped) return;
    this.failure = reason;
    this.log.error('cumbre', `the local cloud cannot go on and stops: ${reason}`);
    void this.stopAll().then(() => this.failed?.(reason));
  }

  /** Stops everything in reverse start order; every caller waits for the same, single stop. */
  stopAll(): Promise<void> {
    return (this.stopping ??= (async () => {
      this.stopped = true;
      for (const s of this.stops.reverse()) {
        await s.stop().catch((err: unknown) => this.log.warn('cumbre', `stopping ${s.name}: ${(err as Error).message}`));
      }
    })());
  }
}
