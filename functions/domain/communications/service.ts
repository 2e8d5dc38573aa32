import { createHash } from 'node:crypto';
import { EventNotFoundError } from '../errors.js';
import { LANGUAGES, type Invitation } from '../model.js';
import type { DueRun, MessagePreview, MessageSent, MessageSummary } from '../organizer-api.js';
import type { Clock, EventRecord } from '../ports.js';
import { dueEmails, groupEmailId, type DueEmail } from './due.js';
import { audienceOf, checkFilter, contentLanguageFor, subjectsOf, type MessagePreviewInput, type MessageSendInput } from './group.js';
import type { Communication, CommunicationMessage, CommunicationQueue, CommunicationsStore, GroupMessageRecord, OptOutOutcome } from './ports.js';
import { renderCommunication } from './render.js';
import { verifyUnsubscribeToken } from './unsubscribe.js';

/** A QUEUED record this old whose message may have been lost (a send that failed, a worker that died) is queued again. */
export const REQUEUE_AFTER_MS = 15 * 60_000;
/** A group message still `preparing` this long after it was written lost its fan-out; the schedule finishes it. */
export const RESUME_FANOUT_AFTER_MS = 5 * 60_000;
const PARALLEL_WRITES = 16;

export interface CommunicationsDeps {
  store: CommunicationsStore;
  queue: CommunicationQueue;
  clock: Clock;
  publicBaseUrl: string;
}

const inBatches = async <T>(items: T[], size: number, run: (batch: T[]) => Promise<void>) => {
  for (let i = 0; i < items.length; i += size) await run(items.slice(i, i + size));
};

const messageOf = (c: Communication): CommunicationMessage => ({ v: 1, communication: c });

/** A message id from the dashboard's request id: the same click, retried, is the same message. */
export const messageIdFor = (eventId: string, requestId: string) => 'm' + createHash('sha256').update(`${eventId}\n${requestId}`).digest('hex').slice(0, 20);

/**
 * Reminders, the day-before message and organizers' group messages. What is due is computed from
 * the data at every run (so a missed or late run catches up and a second run finds nothing new);
 * each email is a ledger record created once per key (`reminder:<days>:<inv>`, `eve:<day>:<inv>`,
 * `group:<message>:<inv>`) before it is queued, and the email worker sends each record at most once.
 */
export class CommunicationsService {
  constructor(private readonly deps: CommunicationsDeps) {}

  /** "What is due now", for every event (the schedule) or one (an organizer's button). */
  async runDue(eventIds?: string[]): Promise<DueRun> {
    const now = this.deps.clock.now();
    const ids = eventIds ?? (await this.deps.store.listEventIds());
    const events: DueRun['events'] = [];
    for (const eventId of ids) events.push(await this.runEvent(eventId, now));
    return { at: now.toISOString(), events };
  }

  private async runEvent(eventId: string, now: Date): Promise<DueRun['events'][number]> {
    const { store, queue } = this.deps;
    const record = await store.getEvent(eventId);
    if (!record) throw new EventNotFoundError(eventId);
    const invitations = await store.listInvitations(eventId);
    const byId = new Map(invitations.map((i) => [i.id, i]));
    const due = dueEmails(record.definition, invitations, now);
    const queued = { reminder: 0, 'day-before': 0 };
    const fresh: DueEmail[] = [];
    await inBatches(due, PARALLEL_WRITES, async (batch) => {
      const written = await Promise.all(
        batch.map((d) => store.prepareEmail({ emailId: d.emailId, eventId, invitationId: d.invitationId, kind: d.kind, to: byId.get(d.invitationId)!.email }, now)),
      );
      batch.forEach((d, i) => written[i] && fresh.push(d));
    });
    await queue.enqueue(fresh.map((d) => messageOf({ emailId: d.emailId, eventId, invitationId: d.invitationId, kind: d.kind, offsetDays: d.offsetDays, day: d.day })));
    for (const d of fresh) queued[d.kind] += 1;

    // Records written but never sent (the queue lost the message, the run died between write and
    // send): queued again once they are old enough not to be merely waiting their turn.
    const stale = (await Promise.all(['reminder:', 'eve:', 'group:'].map((prefix) => store.listEmails(eventId, prefix))))
      .flat()
      .filter((e) => e.status === 'QUEUED' && now.getTime() - Date.parse(e.enqueuedAt ?? e.createdAt) >= REQUEUE_AFTER_MS);
    const requeue = stale.map((e) => messageOf(communicationFromEmailId(eventId, e.invitationId, e.emailId)));
    await queue.enqueue(requeue);
    await inBatches(stale, PARALLEL_WRITES, async (batch) => void (await Promise.all(batch.map((e) => store.markEnqueued(eventId, e.emailId, now)))));

    let resumedMessages = 0;
    for (const message of await store.listMessages(eventId)) {
      if (message.status !== 'preparing' || now.getTime() - Date.parse(message.createdAt) < RESUME_FANOUT_AFTER_MS) continue;
      await this.fanOut(record, message, invitations);
      resumedMessages += 1;
    }
    return { eventId, queued, requeued: requeue.length, resumedMessages };
  }

  async preview(eventId: string, input: MessagePreviewInput): Promise<MessagePreview> {
    const record = await this.eventOrThrow(eventId);
    checkFilter(record.definition, input.filter);
    const audience = audienceOf(await this.deps.store.listInvitations(eventId), input.filter);
    const base = this.deps.publicBaseUrl.replace(/\/+$/, '');
    const languages = LANGUAGES.flatMap((language) => {
      const readers = audience.recipients.filter((i) => i.language === language);
      if (readers.length === 0) return [];
      const contentLanguage = contentLanguageFor(input.content, language);
      const sample = readers[0];
      const rendered = renderCommunication(
        { kind: 'group', part: input.content[contentLanguage]! },
        {
          invitee: { name: sample.name, title: sample.title },
          event: record.definition,
          sessions: [],
          // Each recipient's own links replace these.
          rsvpUrl: `${base}/rsvp/personal-link`,
          unsubscribeUrl: `${base}/unsubscribe/personal-link`,
          now: this.deps.clock.now(),
        },
        contentLanguage,
      );
      return [{ language, recipients: readers.length, contentLanguage, subject: rendered.subject, text: rendered.text }];
    });
    return { total: audience.recipients.length, excluded: audience.excluded, fallbackOrder: [...LANGUAGES], languages };
  }

  /** Records the message, then one ledger record and one queue message per recipient; a repeated request id sends nothing new. */
  async send(eventId: string, input: MessageSendInput, createdBy: string): Promise<MessageSent> {
    const record = await this.eventOrThrow(eventId);
    checkFilter(record.definition, input.filter);
    const id = messageIdFor(eventId, input.requestId);
    const message: GroupMessageRecord = {
      id,
      eventId,
      content: input.content,
      filter: input.filter,
      createdAt: this.deps.clock.now().toISOString(),
      createdBy,
      status: 'preparing',
    };
    const created = await this.deps.store.putMessage(message);
    const stored = created ? message : (await this.deps.store.getMessage(eventId, id))!;
    if (stored.status === 'queued') return { id, recipients: stored.recipients ?? 0, created: false };
    const recipients = await this.fanOut(record, stored, await this.deps.store.listInvitations(eventId));
    return { id, recipients, created };
  }

  private async fanOut(record: EventRecord, message: GroupMessageRecord, invitations: Invitation[]): Promise<number> {
    const { store, queue, clock } = this.deps;
    const eventId = record.definition.id;
    const { recipients } = audienceOf(invitations, message.filter);
    const now = clock.now();
    const fresh: Communication[] = [];
    await inBatches(recipients, PARALLEL_WRITES, async (batch) => {
      const written = await Promise.all(
        batch.map((i) => store.prepareEmail({ emailId: groupEmailId(message.id, i.id), eventId, invitationId: i.id, kind: 'group', to: i.email }, now)),
      );
      batch.forEach((i, n) => written[n] && fresh.push({ emailId: groupEmailId(message.id, i.id), eventId, invitationId: i.id, kind: 'group', messageId: message.id }));
    });
    await queue.enqueue(fresh.map(messageOf));
    const total = (await store.listEmails(eventId, `group:${message.id}:`)).length;
    await store.markMessageQueued(eventId, message.id, total);
    return total;
  }

  async list(eventId: string): Promise<MessageSummary[]> {
    await this.eventOrThrow(eventId);
    const messages = await this.deps.store.listMessages(eventId);
    const summaries = await Promise.all(
      messages.map(async (m): Promise<MessageSummary> => {
        const emails = await this.deps.store.listEmails(eventId, `group:${m.id}:`);
        const count = (pred: (e: (typeof emails)[number]) => boolean) => emails.filter(pred).length;
        return {
          id: m.id,
          createdAt: m.createdAt,
          createdBy: m.createdBy,
          subjects: subjectsOf(m.content),
          filter: m.filter,
          status: m.status,
          recipients: m.recipients ?? emails.length,
          counts: {
            pending: count((e) => e.status === 'QUEUED' || e.status === 'SENDING'),
            sent: count((e) => e.status === 'SENT'),
            skipped: count((e) => e.status === 'SKIPPED'),
            rejected: count((e) => e.status === 'REJECTED'),
            bounced: count((e) => e.feedback === 'bounced'),
            complained: count((e) => e.feedback === 'complained'),
          },
        };
      }),
    );
    return summaries.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Whom an unsubscribe link names (for its page); undefined for a forged token or a deleted invitation. */
  async unsubscribeTarget(token: string, unsubscribeKey: string): Promise<{ invitation: Invitation; event: EventRecord } | undefined> {
    const target = verifyUnsubscribeToken(unsubscribeKey, token);
    if (!target) return undefined;
    const [invitation, event] = await Promise.all([this.deps.store.getInvitation(target.eventId, target.invitationId), this.deps.store.getEvent(target.eventId)]);
    return invitation && event ? { invitation, event } : undefined;
  }

  /** The one-click unsubscribe: undefined for a forged or malformed token (nothing is written). */
  async optOut(token: string, unsubscribeKey: string): Promise<{ outcome: OptOutOutcome; invitation?: Invitation; event?: EventRecord } | undefined> {
    const target = verifyUnsubscribeToken(unsubscribeKey, token);
    if (!target) return undefined;
    const outcome = await this.deps.store.optOut(target.eventId, target.invitationId, this.deps.clock.now().toISOString());
    if (outcome === 'missing') return { outcome };
    const [invitation, event] = await Promise.all([this.deps.store.getInvitation(target.eventId, target.invitationId), this.deps.store.getEvent(target.eventId)]);
    return { outcome, invitation, event };
  }

  private async eventOrThrow(eventId: string) {
    const record = await this.deps.store.getEvent(eventId);
    if (!record) throw new EventNotFoundError(eventId);
    return record;
  }
}

/** The queue message for a ledger record, from its key alone (the schedule's catch-up). */
export const communicationFromEmailId = (eventId: string, invitationId: string, emailId: string): Communication => {
  const [prefix, middle] = emailId.split(':');
  if (prefix === 'reminder') return { emailId, eventId, invitationId, kind: 'reminder', offsetDays: Number(middle) };
  if (prefix === 'eve') return { emailId, eventId, invitationId, kind: 'day-before', day: middle };
  return { emailId, eventId, invitationId, kind: 'group', messageId: middle };
};
