import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Log } from '../log.js';
import { pipeLines, stopChild } from '../emulators/processes.js';

/** A Lambda function as the local cloud runs it. */
export interface FunctionDefinition {
  logicalId: string;
  /** Short name for log prefixes. */
  label: string;
  functionName: string;
  arn: string;
  assetDir: string;
  handler: string;
  runtime: string;
  timeoutSeconds: number;
  memoryMb: number;
  environment: Record<string, string>;
}

export type InvokeOutcome = { ok: true; result: unknown; durationMs: number; requestId: string } | { ok: false; error: LambdaError; durationMs: number; requestId: string };

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  trace?: string[];
}

interface RawOutcome {
  ok: boolean;
  resultJson?: string;
  error?: LambdaError;
}

interface Sandbox {
  child: ChildProcess;
  busy: boolean;
  /** Settles when the init phase (loading the handler module) is over, or the process is gone. */
  initialized: Promise<void>;
  pending?: { id: string; resolve: (o: RawOutcome) => void };
}

const INIT_TIMEOUT_MS = 10_000;

/** Lambda's synchronous invocation payload limit (request and response). */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;

/** Builds the sandbox program once per start: the harness is TypeScript, Lambda runs plain Node. */
export const buildHarness = async (outDir: string): Promise<string> => {
  const { build } = await import('esbuild');
  await mkdir(outDir, { recursive: true });
  const outfile = path.join(outDir, 'harness.mjs');
  await build({
    entryPoints: [fileURLToPath(new URL('./harness.ts', import.meta.url))],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'silent',
  });
  return outfile;
};

/**
 * The instances of one function: started on first invocation (a cold start), reused while warm,
 * one invocation at a time each, more instances under concurrent load, replaced after a timeout or crash.
 */
export class LocalFunction {
  private sandboxes: Sandbox[] = [];
  private waiters: Array<() => void> = [];
  private stopped = false;
  invocations = 0;
  /** Milliseconds its invocations have run since start (Lambda's duration, before rounding). */
  busyMs = 0;

  constructor(
    readonly def: FunctionDefinition,
    private readonly harness: string,
    private readonly log: Log,
    private readonly maxConcurrency = 4,
  ) {}

  private spawn(): Sandbox {
    const { def } = this;
    const child = fork(this.harness, [def.arn], {
      cwd: def.assetDir,
      env: def.environment,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
      execArgv: [],
    });
    let initDone!: () => void;
    const sandbox: Sandbox = { child, busy: false, initialized: new Promise<void>((resolve) => (initDone = resolve)) };
    child.once('exit', () => initDone());
    // A send to a sandbox that just died fails with EPIPE on this event: the exit handler below
    // fails the pending invocation, so the error needs no more than a debug line.
    child.on('error', (err) => this.log.debug(def.label, `sandbox ${child.pid ?? '?'}: ${err.message}`));
    pipeLines(child, (line, stream) => this.log.line(def.label, line, stream));
    child.on('message', (msg: RawOutcome & { type: string; id?: string }) => {
      if (msg.type === 'ready') initDone();
      const pending = sandbox.pending;
      if (msg.type === 'result' && pending && pending.id === msg.id) {
        sandbox.pending = undefined;
        pending.resolve({ ok: msg.ok === true, resultJson: msg.resultJson, error: msg.error });
      }
    });
    child.on('exit', (code, signal) => {
      this.sandboxes = this.sandboxes.filter((s) => s !== sandbox);
      if (sandbox.pending) {
        const pending = sandbox.pending;
        sandbox.pending = undefined;
        pending.resolve({
          ok: false,
          error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${pending.id} Error: Runtime exited with ${signal ?? `error: exit status ${code}`}` },
        });
      }
      this.release();
    });
    this.sandboxes.push(sandbox);
    this.log.debug(def.label, `cold start (instance ${this.sandboxes.length})`);
    return sandbox;
  }

  private release() {
    const next = this.waiters.shift();
    next?.();
  }

  private async acquire(): Promise<Sandbox> {
    for (;;) {
      if (this.stopped) throw new Error(`${this.def.label} is stopped`);
      const idle = this.sandboxes.find((s) => !s.busy);
      if (idle) {
        idle.busy = true;
        return idle;
      }
      if (this.sandboxes.length < this.maxConcurrency) {
        const s = this.spawn();
        s.busy = true;
        return s;
      }
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** Invokes synchronously (RequestResponse), with the function's timeout. */
  async invoke(event: unknown): Promise<InvokeOutcome> {
    const requestId = randomUUID();
    const eventJson = JSON.stringify(event);
    const started = Date.now();
    if (Buffer.byteLength(eventJson) > MAX_PAYLOAD_BYTES) {
      return {
        ok: false,
        requestId,
        durationMs: 0,
        error: { errorType: 'RequestEntityTooLargeException', errorMessage: `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation` },
      };
    }
    const sandbox = await this.acquire();
    this.invocations++;
    // As in Lambda, the init phase has its own limit (10 s) and does not count against the
    // function's timeout: a cold start on a busy machine is not a timed-out invocation.
    await Promise.race([sandbox.initialized, new Promise((r) => setTimeout(r, INIT_TIMEOUT_MS).unref())]);
    const timeoutMs = this.def.timeoutSeconds * 1000;
    const deadline = Date.now() + timeoutMs;
    this.log.debug(this.def.label, `START RequestId: ${requestId}`);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await new Promise<RawOutcome>((resolve) => {
      sandbox.pending = { id: requestId, resolve };
      timer = setTimeout(() => {
        if (sandbox.pending?.id !== requestId) return;
        sandbox.pending = undefined;
        resolve({
          ok: false,
          error: { errorType: 'Sandbox.Timedout', errorMessage: `RequestId: ${requestId} Error: Task timed out after ${this.def.timeoutSeconds.toFixed(2)} seconds` },
        });
        // Lambda resets the sandbox after a timeout: it never takes another invocation.
        this.sandboxes = this.sandboxes.filter((s) => s !== sandbox);
        void stopChild(sandbox.child, 500);
      }, timeoutMs);
      const died = (why: string) => {
        if (sandbox.pending?.id !== requestId) return;
        sandbox.pending = undefined;
        resolve({ ok: false, error: { errorType: 'Runtime.ExitError', errorMessage: `RequestId: ${requestId} Error: Runtime exited (${why})` } });
      };
      if (!sandbox.child.connected) return died('the sandbox had already exited');
      sandbox.child.send({ type: 'invoke', id: requestId, requestId, eventJson, deadline }, (err) => err && died(err.message));
    });
    clearTimeout(timer);
    sandbox.busy = false;
    this.release();
    const durationMs = Date.now() - started;
    this.busyMs += durationMs;
    this.log.debug(this.def.label, `END RequestId: ${requestId} Duration: ${durationMs} ms`);
    if (!outcome.ok) {
      const error = outcome.error ?? { errorType: 'Unknown', errorMessage: 'unknown error' };
      // The Lambda runtime logs the same line: `ERROR Invoke Error {errorType, errorMessage, stack}`.
      this.log.error(this.def.label, `ERROR Invoke Error ${JSON.stringify({ errorType: error.errorType, errorMessage: error.errorMessage, stack: error.trace?.slice(1, 6) })}`);
      return { ok: false, requestId, durationMs, error };
    }
    const resultJson = outcome.resultJson ?? 'null';
    if (Buffer.byteLength(resultJson) > MAX_PAYLOAD_BYTES) {
      const error = { errorType: 'Function.ResponseSizeTooLarge', errorMessage: `Response payload size exceeded maximum allowed payload size (${MAX_PAYLOAD_BYTES} bytes).` };
      this.log.error(this.def.label, `${error.errorType}: ${error.errorMessage}`);
      return { ok: false, requestId, durationMs, error };
    }
    return { ok: true, requestId, durationMs, result: JSON.parse(resultJson) as unknown };
  }

  /**
   * Test hook: kills every running instance of this function at once (SIGKILL by default), as a
   * crashed or recycled Lambda environment would die. Invocations in flight fail with
   * `Runtime.ExitError`; the next invocation cold-starts a new instance. Returns how many died.
   */
  killInstances(signal: NodeJS.Signals = 'SIGKILL'): number {
    const running = this.sandboxes.filter((s) => s.child.exitCode === null && s.child.signalCode === null);
    for (const s of running) s.child.kill(signal);
    return running.length;
  }

  /** Instances running now (busy or warm). */
  get instances(): number {
    return this.sandboxes.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.waiters.splice(0)) w();
    await Promise.all(this.sandboxes.map((s) => stopChild(s.child, 2000)));
  }
}
