import * as z from '../zod.js';
import type { Invitation, Language } from '../model.js';
import type { EventRecord } from '../ports.js';
import type { CommunicationKind } from './due.js';
import type { MessagePart, RecipientFilter } from './group.js';

/** One email to send, as it travels on the email queue beside the outbox envelopes. */
export const communicationMessageSchema = z.strictObject({
  v: z.literal(1),
  communication: z.strictObject({
    emailId: z.string().check(z.minLength(8), z.maxLength(200)),
    eventId: z.string().check(z.minLength(1), z.maxLength(64)),
    invitationId: z.string().check(z.minLength(1), z.maxLength(64)),
    kind: z.enum(['reminder', 'day-before', 'group']),
    offsetDays: z.optional(z.number().check(z.int(), z.positive())),
    day: z.optional(z.iso.date()),
    messageId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  }),
});
export type CommunicationMessage = z.infer<typeof communicationMessageSchema>;
export type Communication = CommunicationMessage['communication'];

/** A ledger record as the schedule and the message list read it. */
export interface LedgerEntry {
  emailId: string;
  invitationId: string;
  status: string;
  createdAt: string;
  enqueuedAt?: string;
  /** SES feedback on a sent email: `bounced`, `complained` (group messages record it here for their counts). */
  feedback?: string;
}

/** A group message as stored: its text per language, its filter, who sent it and how far its fan-out got. */
export interface GroupMessageRecord {
  id: string;
  eventId: string;
  content: Partial<Record<Language, MessagePart>>;
  filter: RecipientFilter;
  createdAt: string;
  createdBy: string;
  /** `preparing` while recipients are being queued (the schedule finishes a fan-out that died), then `queued`. */
  status: 'preparing' | 'queued';
  recipients?: number;
}

export type OptOutOutcome = 'recorded' | 'already' | 'missing';

/** What the communications need of the table, beyond the email ledger itself. */
export interface CommunicationsStore {
  listEventIds(): Promise<string[]>;
  getEvent(eventId: string): Promise<EventRecord | undefined>;
  listInvitations(eventId: string): Promise<Invitation[]>;
  getInvitation(eventId: string, invitationId: string): Promise<Invitation | undefined>;
  countWaitlistedBefore(eventId: string, sessionId: string, ticket: number): Promise<number>;
  /** The event's ledger records whose email id starts with `prefix`. */
  listEmails(eventId: string, prefix: string): Promise<LedgerEntry[]>;
  /** Writes the QUEUED ledger record unless one exists (whatever its state); true when written. */
  prepareEmail(record: { emailId: string; eventId: string; invitationId: string; kind: string; to: string }, now: Date): Promise<boolean>;
  markEnqueued(eventId: string, emailId: string, now: Date): Promise<void>;
  /** SENDING → SKIPPED: claimed, then found no longer owed (answered, opted out, suppressed…). */
  markSkipped(eventId: string, emailId: string, reason: string, now: Date): Promise<void>;
  /** Creates the message record; false when one with this id exists already. */
  putMessage(message: GroupMessageRecord): Promise<boolean>;
  getMessage(eventId: string, messageId: string): Promise<GroupMessageRecord | undefined>;
  markMessageQueued(eventId: string, messageId: string, recipients: number): Promise<void>;
  listMessages(eventId: string): Promise<GroupMessageRecord[]>;
  /** Records the opt-out on the invitation once; a second time changes nothing. */
  optOut(eventId: string, invitationId: string, at: string): Promise<OptOutOutcome>;
  /** Cumbre's own suppression list: addresses that bounced for good or complained, across events. */
  isSuppressed(email: string): Promise<boolean>;
}

export interface CommunicationQueue {
  enqueue(messages: CommunicationMessage[]): Promise<void>;
}

export type { CommunicationKind };
