import type { Session } from './bootstrap/contract.js';
import type { AuthorizerInfo } from './http-api.js';
import type { LocalFunction } from './runtime/functions.js';
import type { DynamoMeterReading } from './emulators/dynamo-meter.js';

export interface LocalResource {
  logicalId: string;
  type: string;
  ref: string;
  attributes: Record<string, unknown>;
}

/** Everything a script or test needs to talk to the local cloud; plain data, safe to serialise. */
export interface LocalCloudInfo {
  apiUrl: string;
  mailUrl: string;
  region: string;
  dataDir: string;
  templatePath: string;
  startupMs: number;
  /** Milliseconds from the start to the end of each start-up phase. */
  timings: Record<string, number>;
  endpoints: { dynamodb: string; sqs: string; s3: string; sesv2: string; secretsManager: string; cognito: string };
  credentials: { accessKeyId: string; secretAccessKey: string };
  session: Session;
  resources: LocalResource[];
  /** Route keys the gateway serves, e.g. `POST /rsvp/{token}`. */
  routes: string[];
  cognito: AuthorizerInfo;
}

/** The emulators that run in their own process, and can die on their own. */
export type EmulatorName = 'dynamodb' | 'cognito';

/**
 * Test hooks for fault tests: what a crash in AWS (or of the machine) does, on demand. Nothing
 * here is used by `npm start`; documented in docs/local-cloud.md.
 */
export interface FaultHooks {
  /**
   * Kills every running instance (sandbox process) of a function — by logical id, short name
   * (`WorkflowEmailWorker`) or function name — as a crashed Lambda environment dies (SIGKILL by
   * default). Invocations in flight fail with `Runtime.ExitError` (their SQS messages return
   * after the visibility timeout, their stream batch is retried); the next invocation cold-starts.
   * Returns how many instances were killed (0 when none was warm).
   */
  killFunction(functionId: string, signal?: NodeJS.Signals): number;
  /**
   * Kills an emulator's process (SIGKILL by default). The cloud logs that it died and restarts it
   * on the same port with the same data; requests fail meanwhile. Does not wait for the restart.
   */
  killEmulator(name: EmulatorName, signal?: NodeJS.Signals): void;
  /** Resolves when the emulator is running (again); rejects if the cloud gave up on it. */
  emulatorRunning(name: EmulatorName): Promise<void>;
  /** How many times the emulator was restarted after dying. */
  emulatorRestarts(name: EmulatorName): number;
  /**
   * Ends the cloud as SIGKILL of `npm start` would: every process killed, nothing flushed (stream
   * checkpoints of the last moments, anything buffered), only the ports are freed. A later
   * `startLocalCloud` on the same data dir must recover from what is left.
   */
  stopUncleanly(): Promise<void>;
  /**
   * Calls `listener` with each email as the SES emulator stores it, before SES answers the sender:
   * a listener that kills the sending function leaves it dead between SES accepting and it hearing
   * so (the one window no email design closes). Returns the unsubscribe function.
   */
  onMailStored(listener: (email: { messageId: string; subject: string; destination: { to: string[] } }) => void): () => void;
  /**
   * SES answers every SendEmail as for an account whose sending is paused (`SendingPausedException`,
   * 400) until called with `false`: the refusal of the sending itself that a deploy meets when the
   * sender identity is not verified or the account is paused.
   */
  pauseSending(paused: boolean): void;
}

export interface LocalCloud extends LocalCloudInfo {
  /** Invokes a function by logical id or short name, synchronously. */
  invoke(functionId: string, event: unknown): ReturnType<LocalFunction['invoke']>;
  /** Number of invocations a function has had since start. */
  invocations(functionId: string): number;
  /** Milliseconds a function's invocations have run since start (the duration Lambda bills, before rounding). */
  busyMs(functionId: string): number;
  stop(): Promise<void>;
  /** Resolves with the reason if the cloud ever stops itself (an emulator that keeps dying). */
  fatal: Promise<string>;
  faults: FaultHooks;
  /** Only with `meterDynamo`: what the functions asked of DynamoDB so far. */
  dynamoMeter?: () => DynamoMeterReading;
}
