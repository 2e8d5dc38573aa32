import { createHash } from 'node:crypto';
import { EventNotFoundError } from '../errors.js';
import { LANGUAGES, type Invitation, type Language } from '../model.js';
import type { DueRun, MessagePreview, MessageSent, MessageSummary } from '../organizer-api.js';
import type { Clock, EventRecord } from '../ports.js';
import { deriveRsvpToken } from '../tokens.js';
import { rsvpUrlFor } from '../invitations.js';
import { PermanentEmailError, type DeliveryRecorder, type EmailLedger, type Mailer } from '../email/delivery.js';
import { buildIcs, icsContentType } from '../email/ics.js';
import { buildRawEmail } from '../email/mime.js';
import { messageTags, tagValue } from '../email/tags.js';
import type { EmailSession } from '../email/templates.js';
import { acceptsOptionalMail, attendanceDays, awaitingAnswer, dueEmails, groupEmailId, type DueEmail } from './due.js';
import { zonedLocalToUtc } from '../time.js';
import { audienceOf, checkFilter, contentLanguageFor, type MessagePreviewInput, type MessageSendInput } from './group.js';
import type { Communication, CommunicationMessage, CommunicationQueue, CommunicationsStore, GroupMessageRecord, OptOutOutcome } from './ports.js';
import { listUnsubscribeHeaders, renderCommunication, type CommunicationContent } from './render.js';
import { unsubscribeToken, unsubscribeUrlFor, verifyUnsubscribeToken } from './unsubscribe.js';

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

export interface DeliveryDeps {
  ledger: EmailLedger;
  mailer: Mailer;
  deliveries: DeliveryRecorder;
  tokenSecret: string;
  unsubscribeKey: string;
  sender: { name: string; address: string };
  leaseMs: number;
}

const inBatches = async <T>(items: T[], size: number, run: (batch: T[]) => Promise<void>) => {
  for (let i = 0; i < items.length; i += size) await run(items.slice(i, i + size));
};

/** What is owed, before the language is chosen: a group message carries every version. */
type Owed = Exclude<CommunicationContent, { kind: 'group' }> | { kind: 'group'; versions: GroupMessageRecord['content'] };

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
  constructor(
    private readonly deps: CommunicationsDeps,
    private readonly delivery?: DeliveryDeps,
  ) {}

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
    const stale = (
      await Promise.all(['reminder:', 'eve:', 'group:'].map((prefix) => store.listEmails(eventId, prefix)))
    )
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
          subjects: Object.fromEntries(LANGUAGES.filter((l) => m.content[l]).map((l) => [l, m.content[l]!.subject])),
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

  /** The email worker's half: claims the ledger record, checks the email is still owed, renders and sends it. */
  async deliver(c: Communication): Promise<'sent' | 'resent' | 'duplicate' | 'skipped' | 'rejected'> {
    const d = this.delivery;
    if (!d) throw new Error('CommunicationsService was built without delivery dependencies');
    const { store, clock } = this.deps;
    const [invitation, record] = await Promise.all([store.getInvitation(c.eventId, c.invitationId), store.getEvent(c.eventId)]);
    const claim = await d.ledger.claim({ emailId: c.emailId, eventId: c.eventId, invitationId: c.invitationId, kind: c.kind, to: invitation?.email ?? '-' }, clock.now(), d.leaseMs);
    if (claim === 'done') return 'duplicate';
    const now = clock.now();
    const skip = async (reason: string) => {
      await store.markSkipped(c.eventId, c.emailId, reason, now);
      return 'skipped' as const;
    };
    if (!invitation || !record) return skip('invitation or event gone');
    const why = await this.stillOwed(c, invitation, record, now);
    if (why) return skip(why);
    const content = await this.contentOf(c);
    if (!content) return skip('message gone');

    const raw = await this.compose(c, content, invitation, record, now);
    const tags = { ...messageTags({ emailId: c.emailId, eventId: c.eventId, invitationId: c.invitationId, kind: c.kind }), ...(c.messageId ? { messageId: tagValue(c.messageId) } : {}) };
    let providerId: string;
    try {
      providerId = await d.mailer.send({ emailId: c.emailId, to: invitation.email, raw, tags });
    } catch (err) {
      if (err instanceof PermanentEmailError) {
        await d.ledger.markRejected(c.emailId, c.eventId, err.message, clock.now());
        if (err.about === 'recipient') await d.deliveries.recordDelivery(c.eventId, invitation.id, { state: 'rejected', detail: err.message, at: clock.now().toISOString() });
        return 'rejected';
      }
      await d.ledger.release(c.emailId, c.eventId, (err as Error).message);
      throw err;
    }
    await d.ledger.markSent(c.emailId, c.eventId, providerId, clock.now());
    return claim === 'reclaimed' ? 'resent' : 'sent';
  }

  /** Undefined when the email is still owed; otherwise why not (recorded on the ledger record). */
  private async stillOwed(c: Communication, invitation: Invitation, record: EventRecord, now: Date): Promise<string | undefined> {
    if (!acceptsOptionalMail(invitation)) return invitation.optOut ? 'opted out' : 'revoked or unreachable';
    if (await this.deps.store.isSuppressed(invitation.email)) return 'address suppressed (bounce or complaint)';
    const def = record.definition;
    if (c.kind === 'reminder') {
      if (!awaitingAnswer(invitation)) return 'answered';
      if (now.getTime() >= zonedLocalToUtc(def.rsvpDeadline, def.timezone).getTime()) return 'deadline passed';
    }
    if (c.kind === 'day-before') {
      if (!c.day || !attendanceDays(def, invitation).includes(c.day)) return 'no confirmed or waitlisted session that day any more';
      if (now.getTime() >= zonedLocalToUtc(`${c.day}T00:00`, def.timezone).getTime()) return 'the day has begun';
    }
    return undefined;
  }

  private readonly messages = new Map<string, GroupMessageRecord>();

  private async contentOf(c: Communication): Promise<Owed | undefined> {
    if (c.kind === 'reminder') return { kind: 'reminder' };
    if (c.kind === 'day-before') return { kind: 'day-before', day: c.day! };
    const key = `${c.eventId}/${c.messageId}`;
    let message = this.messages.get(key);
    if (!message) {
      message = await this.deps.store.getMessage(c.eventId, c.messageId ?? '');
      if (!message) return undefined;
      this.messages.set(key, message);
    }
    return { kind: 'group', versions: message.content };
  }

  private async compose(c: Communication, content: Owed, invitation: Invitation, record: EventRecord, now: Date): Promise<Uint8Array> {
    const d = this.delivery!;
    const def = record.definition;
    const rsvpUrl = rsvpUrlFor(this.deps.publicBaseUrl, deriveRsvpToken(d.tokenSecret, invitation.id, invitation.tokenNonce));
    const unsubscribeUrl = unsubscribeUrlFor(this.deps.publicBaseUrl, unsubscribeToken(d.unsubscribeKey, c.eventId, invitation.id));
    const sessions: EmailSession[] = await Promise.all(
      def.sessions
        .filter((s) => invitation.sessions.includes(s.id))
        .map(async (s) => {
          const r = invitation.responses[s.id];
          const position =
            r?.status === 'waitlisted' && r.waitlistTicket !== undefined ? 1 + (await this.deps.store.countWaitlistedBefore(invitation.eventId, s.id, r.waitlistTicket)) : undefined;
          return { id: s.id, name: s.name, start: s.start, end: s.end, status: r?.status ?? 'pending', ...(position ? { waitlistPosition: position } : {}) };
        }),
    );
    const confirmed = sessions.some((s) => s.status === 'confirmed');
    // A group message in the invitee's language, else the first version in the fallback order.
    const language: Language = content.kind === 'group' ? contentLanguageFor(content.versions, invitation.language) : invitation.language;
    const resolved: CommunicationContent = content.kind === 'group' ? { kind: 'group', part: content.versions[language]! } : content;
    const rendered = renderCommunication(
      resolved,
      { invitee: { name: invitation.name, title: invitation.title }, event: def, sessions, rsvpUrl, ...(confirmed ? { badgeUrl: `${rsvpUrl}/badge` } : {}), unsubscribeUrl, now },
      language,
    );
    const ics =
      rendered.calendar.length > 0
        ? buildIcs({ event: def, sessions: rendered.calendar, invitee: { name: invitation.name, language }, uidBase: invitation.id, sequence: invitation.version, url: rsvpUrl })
        : undefined;
    return buildRawEmail({
      from: d.sender,
      to: { name: invitation.name, address: invitation.email },
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      attachments: ics ? [{ filename: `${def.id}.ics`, contentType: icsContentType(ics), content: ics }] : [],
      headers: { 'X-Cumbre-Email-Id': c.emailId, ...listUnsubscribeHeaders(unsubscribeUrl) },
    });
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
