import * as z from './zod.js';
import type { EventRecord } from './ports.js';

/** Fill levels at which organizers hear about a session, once each. */
export const THRESHOLDS = [80, 95, 100] as const;

export const crossedThresholds = (confirmedSeats: number, capacity: number) => THRESHOLDS.filter((t) => confirmedSeats * 100 >= t * capacity);

/** The email ledger's id of a session's alert at a threshold: the "once" of each alert. */
export const alertEmailId = (eventId: string, sessionId: string, threshold: number) => `alert:${eventId}:${sessionId}:${threshold}`;

/** One capacity alert, as it travels on the email queue beside the outbox envelopes and the communications. */
export const alertMessageSchema = z.strictObject({
  v: z.literal(1),
  alert: z.strictObject({
    emailId: z.string().check(z.minLength(8), z.maxLength(300)),
    eventId: z.string().check(z.minLength(1), z.maxLength(64)),
    sessionId: z.string().check(z.minLength(1), z.maxLength(64)),
    threshold: z.number().check(z.int(), z.positive(), z.maximum(100)),
    /** The session's confirmed seats and capacity when the threshold was crossed: what the alert states. */
    confirmedSeats: z.number().check(z.int(), z.nonnegative()),
    capacity: z.number().check(z.int(), z.nonnegative()),
  }),
});
export type AlertMessage = z.infer<typeof alertMessageSchema>;
export type CapacityAlert = AlertMessage['alert'];

/** The capacity worker's side of the email ledger: an alert is owed once, and queued until it is queued. */
export interface AlertLedger {
  /**
   * Records the alert as owed (QUEUED) unless it has been queued before; true when the caller must
   * queue it now. A record left QUEUED and never marked queued (a worker that died between the two
   * writes) counts as not queued, so the retried check queues it: an alert is never lost, and a
   * second copy on the queue finds the email ledger's claim taken.
   */
  owe(alert: { emailId: string; eventId: string }, now: Date): Promise<boolean>;
  markEnqueued(eventId: string, emailId: string, now: Date): Promise<void>;
}

export interface AlertQueue {
  enqueue(alerts: CapacityAlert[]): Promise<void>;
}

/**
 * The capacity worker's half of capacity alerts: decides which thresholds a session has crossed and
 * queues each alert once to the email worker, which sends it. The worker that checks capacity
 * carries no SES client and no MIME code: the email worker is the one function that sends.
 */
export class CapacityAlerts {
  constructor(private readonly deps: { ledger: AlertLedger; queue: AlertQueue; clock: { now(): Date } }) {}

  /** The thresholds whose alert this check queued (none when every crossed one was queued before). */
  async check(record: EventRecord, sessionId: string): Promise<number[]> {
    const session = record.sessions.find((s) => s.id === sessionId);
    if (!session) return [];
    const { ledger, queue, clock } = this.deps;
    const eventId = record.definition.id;
    const crossed = crossedThresholds(session.confirmedSeats, session.capacity).map((threshold): CapacityAlert => ({
      emailId: alertEmailId(eventId, sessionId, threshold),
      eventId,
      sessionId,
      threshold,
      confirmedSeats: session.confirmedSeats,
      capacity: session.capacity,
    }));
    const owed = await Promise.all(crossed.map((alert) => ledger.owe(alert, clock.now())));
    const due = crossed.filter((_, i) => owed[i]);
    if (!due.length) return [];
    // A failed enqueue fails the check: its message comes back, and the records still say "not queued".
    await queue.enqueue(due);
    await Promise.all(due.map((alert) => ledger.markEnqueued(eventId, alert.emailId, clock.now())));
    return due.map((alert) => alert.threshold);
  }
}
