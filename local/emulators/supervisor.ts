import type { ChildProcess } from 'node:child_process';
import type { Log } from '../log.js';

/** An emulator that runs in a child process the local cloud started (DynamoDB Local, cognito-local). */
export interface ProcessEmulator {
  name: string;
  url: string;
  pid?: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  log: Log;
  /** Called with each new pid (the data dir's record of what to stop after a crash of the cloud). */
  onRestart?: (pid: number | undefined) => void | Promise<void>;
  /** Called once when the emulator cannot be kept running; the cloud stops with this message. */
  onGiveUp: (message: string) => void;
  /** Deaths within `windowMs` before giving up. */
  maxRestarts?: number;
  windowMs?: number;
}

/**
 * Keeps an emulator process running. When it dies without being asked to (killed, out of memory,
 * a crash), the death is said in the log in plain words and the emulator is started again on the
 * same port with the same data, so functions and pollers reconnect without knowing. If it keeps
 * dying, the supervisor gives up and the cloud stops with a message naming it.
 */
export class Supervised {
  private current: ProcessEmulator;
  private stopping = false;
  private restarting?: Promise<void>;
  private deaths: number[] = [];
  private gaveUp?: string;
  private dying?: Promise<void>;
  restarts = 0;

  private constructor(
    first: ProcessEmulator,
    private readonly startOne: () => Promise<ProcessEmulator>,
    private readonly o: SupervisorOptions,
  ) {
    this.current = first;
    this.watch(first);
  }

  static async start(startOne: () => Promise<ProcessEmulator>, options: SupervisorOptions): Promise<Supervised> {
    return new Supervised(await startOne(), startOne, options);
  }

  get name(): string {
    return this.current.name;
  }

  get url(): string {
    return this.current.url;
  }

  get pid(): number | undefined {
    return this.current.pid;
  }

  private watch(e: ProcessEmulator) {
    e.child.once('exit', (code, signal) => {
      if (this.stopping || e !== this.current) return;
      this.o.log.error(
        e.name,
        `${e.name} (pid ${e.pid ?? '?'}) died unexpectedly (${signal ? `killed by ${signal}` : `exit code ${code}`}): requests to it fail until it is back; restarting it with the same data`,
      );
      this.restarting = this.restart();
    });
  }

  private async restart(): Promise<void> {
    const now = Date.now();
    this.deaths = [...this.deaths.filter((t) => now - t < (this.o.windowMs ?? 60_000)), now];
    if (this.deaths.length > (this.o.maxRestarts ?? 3))
      return this.giveUp(`${this.current.name} died ${this.deaths.length} times within a minute; see its output above (LOG_LEVEL=debug shows all of it)`);
    try {
      const next = await this.startOne();
      if (this.stopping) return void (await next.stop());
      this.current = next;
      this.restarts++;
      this.watch(next);
      this.o.log.warn(next.name, `${next.name} is running again (pid ${next.pid ?? '?'}, restart ${this.restarts}) at ${next.url}`);
      await this.o.onRestart?.(next.pid);
    } catch (err) {
      if (!this.stopping) this.giveUp(`${this.current.name} could not be restarted: ${(err as Error).message}`);
    }
  }

  private giveUp(message: string) {
    this.gaveUp = message;
    this.o.onGiveUp(message);
  }

  /** Test hook: kills the process as a crash would (SIGKILL by default); the supervisor restarts it. */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    const child = this.current.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    // whenRunning() waits for this death to be seen before it looks at the restart.
    this.dying = new Promise((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
  }

  /** Resolves once the emulator is up again after a death (at once when it is up). */
  async whenRunning(): Promise<void> {
    await this.dying;
    for (;;) {
      if (this.gaveUp) throw new Error(this.gaveUp);
      const pending = this.restarting;
      if (pending) await pending;
      const alive = this.current.child.exitCode === null && this.current.child.signalCode === null;
      if (alive && this.restarting === pending) return;
      if (!alive && this.restarting === pending) await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Ends the process with SIGKILL and does not restart it (a crash of the whole cloud). */
  async crash(): Promise<void> {
    this.stopping = true;
    const child = this.current.child;
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.restarting?.catch(() => undefined);
    await this.current.stop();
  }
}
