import { envelopeFor, queuesFor, type Envelope, type OutboxRecord, type WorkQueue } from './outbox.js';

/** Sends one envelope to one work queue. */
export interface QueuePublisher {
  publish(queue: WorkQueue, envelope: Envelope): Promise<void>;
}

/**
 * The outbox records' delivery state: written with the change, marked once its queues have it. A
 * marked record is kept as the invitation's history.
 */
export interface OutboxLedger {
  /** Marks a record dispatched, so the sweep passes it by. A record already expired is no error. */
  markDispatched(record: OutboxRecord, now: Date): Promise<void>;
  /** Records not marked dispatched that occurred before `before`, oldest first, at most `limit`. */
  listUndispatched(before: Date, limit: number): Promise<OutboxRecord[]>;
}

export interface DispatcherDeps {
  publisher: QueuePublisher;
  ledger: OutboxLedger;
  clock: { now(): Date };
  /** Told about bookkeeping that failed after the queues had the events (the sweep finishes it). */
  warn?: (message: string, detail: Record<string, unknown>) => void;
}

/** How old an undispatched record must be before the sweep sends it: the stream has had its chance. */
export const SWEEP_AFTER_MS = 60_000;

export type DispatchOutcome = 'dispatched' | 'queued-unmarked';

/**
 * Delivers outbox records to the work queues at least once, whatever happens to the stream or the
 * table. The queues get the record's events first; only then is it marked dispatched (and so kept
 * as history). A table error after that does not fail the record (the events have left), it leaves
 * the record unmarked for the sweep, which sends it again, idempotently: consumers key their work
 * on the envelope id. A queue error fails the record: the stream retries it, and whatever the
 * stream gives up on (or never delivers: a stop mid-burst) the sweep finds a minute later.
 */
export class OutboxDispatcher {
  constructor(private readonly deps: DispatcherDeps) {}

  /** Sends each of the record's events to its queues, then marks the record once. */
  async dispatch(record: OutboxRecord): Promise<DispatchOutcome> {
    await Promise.all(
      record.flatMap((event) => {
        const envelope = envelopeFor(event);
        return queuesFor(event).map((queue) => this.deps.publisher.publish(queue, envelope));
      }),
    );
    try {
      await this.deps.ledger.markDispatched(record, this.deps.clock.now());
      return 'dispatched';
    } catch (err) {
      this.deps.warn?.('Events queued; dispatch mark not written, the sweep will finish it', { eventIds: record.map((e) => e.id), error: (err as Error).message });
      return 'queued-unmarked';
    }
  }

  /**
   * Sends every record the stream has not delivered within SWEEP_AFTER_MS. Runs on a schedule;
   * records that fail stay undispatched for the next run.
   */
  async sweep(limit = 500): Promise<{ found: number; dispatched: number; failed: number }> {
    const due = await this.deps.ledger.listUndispatched(new Date(this.deps.clock.now().getTime() - SWEEP_AFTER_MS), limit);
    let dispatched = 0;
    let failed = 0;
    for (let i = 0; i < due.length; i += 10) {
      const outcomes = await Promise.allSettled(due.slice(i, i + 10).map((r) => this.dispatch(r)));
      for (const o of outcomes) {
        if (o.status === 'fulfilled' && o.value === 'dispatched') dispatched += 1;
        else failed += 1;
      }
    }
    return { found: due.length, dispatched, failed };
  }
}
