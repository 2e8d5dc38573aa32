import { isFinalRejection, PermanentEmailError } from './errors.js';
import type { EventRecord } from '../ports.js';
import type { CumbreEvent } from '../outbox.js';
import type { InvitationDelivery, Invitation } from '../model.js';
import { deriveRsvpToken } from '../tokens.js';
import { rsvpUrlFor } from '../invitations/links.js';
import { buildIcs, icsContentType } from './ics.js';
import { buildRawEmail } from './mime.js';
import { fileNameOf } from '../file-names.js';
import { emailSessionsFor, renderEmail, type EmailKind } from './templates.js';
import { messageTags } from './tags.js';

export { messageTags, tagValue } from './tags.js';

export { EmailInProgressError, PermanentEmailError, TransientEmailError } from './errors.js';

export interface OutgoingEmail {
  emailId: string;
  to: string;
  raw: Uint8Array;
  tags: Record<string, string>;
}

/** Sends one raw message; throws PermanentEmailError or TransientEmailError, returns the provider id. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<string>;
}

export type ClaimResult =
  /** First attempt: send. */
  | 'claimed'
  /** A worker died holding the lease, maybe after the provider accepted: send once more, marked. */
  | 'reclaimed'
  /** Already sent, already rejected, or given up as uncertain: send nothing. */
  | 'done';

/**
 * The email ledger: one record per email, QUEUED → SENDING → SENT (or REJECTED), every step a
 * conditional write, so a redelivered message or a retried Lambda sends nothing twice.
 */
export interface EmailLedger {
  /** Creates the record (QUEUED) if new and takes the SENDING lease; throws EmailInProgressError while another worker holds it. */
  claim(record: { emailId: string; eventId: string; invitationId: string; kind: string; to: string }, now: Date, leaseMs: number): Promise<ClaimResult>;
  markSent(emailId: string, eventId: string, providerId: string, now: Date): Promise<void>;
  /** Back to QUEUED after a definite failure (nothing was sent), so the retry may claim it. */
  release(emailId: string, eventId: string, reason: string): Promise<void>;
  markRejected(emailId: string, eventId: string, reason: string, now: Date): Promise<void>;
}

/**
 * `recorded`; `superseded` when the invitation already shows a newer email's state (see
 * `InvitationDelivery.of`); or `invitation_missing` when there is no invitation to record it on
 * (deleted, or a feedback message naming an invitation that never existed): said, never dropped
 * in silence.
 */
export type DeliveryRecordOutcome = 'recorded' | 'superseded' | 'invitation_missing';

export interface DeliveryRecorder {
  recordDelivery(eventId: string, invitationId: string, delivery: InvitationDelivery): Promise<DeliveryRecordOutcome>;
}

export interface EmailSourceReader {
  getInvitation(eventId: string, invitationId: string): Promise<Invitation | undefined>;
  getEvent(eventId: string): Promise<EventRecord | undefined>;
  countWaitlistedBefore(eventId: string, sessionId: string, ticket: number): Promise<number>;
}

export interface EmailDeliveryDeps {
  reader: EmailSourceReader;
  ledger: EmailLedger;
  mailer: Mailer;
  deliveries: DeliveryRecorder;
  clock: { now(): Date };
  tokenSecret: string;
  publicBaseUrl: string;
  sender: { name: string; address: string };
  /** How long a worker may hold an email before another assumes it died (≥ the function timeout). */
  leaseMs: number;
  /** Addresses that bounced for good or complained: Cumbre never writes to them again. */
  suppressions?: { isSuppressed(email: string): Promise<boolean> };
}

/**
 * Which email an event means for the invitee, if any. An answer is told once, as a whole, from its
 * `rsvp.answered` record (the per-session records of the same answer send nothing); it is the regret
 * (`declined`) only when the invitee now declines every session of the invitation.
 */
export const emailKindFor = (event: CumbreEvent, invitation?: Pick<Invitation, 'sessions' | 'responses'>): EmailKind | undefined => {
  switch (event.type) {
    case 'invitation.created':
      return 'invitation';
    case 'rsvp.confirmed':
      return event.promoted ? 'promoted' : undefined;
    case 'invitation.rescheduled':
      return 'rescheduled';
    case 'invitation.session-cancelled':
      return 'session-cancelled';
    case 'rsvp.answered': {
      const declinedAll = invitation !== undefined && invitation.sessions.every((id) => invitation.responses[id]?.status === 'declined');
      return declinedAll ? 'declined' : 'confirmation';
    }
    default:
      return undefined;
  }
};

/**
 * One email per effect: an invitation, a resend, a promotion or an answer is each its own change,
 * and its email is keyed by the change's id, so redeliveries share it.
 */
export const emailIdFor = (event: CumbreEvent, kind: EmailKind) => (kind === 'confirmation' || kind === 'declined' ? `answer:${event.id}` : `${kind}:${event.id}`);

/** Sessions an answer took out of the invitee's calendar: confirmed before, not any more. */
export const cancelledBy = (event: CumbreEvent): string[] =>
  event.type === 'rsvp.answered' ? event.outcomes.filter((o) => o.previous === 'confirmed' && o.status !== 'confirmed').map((o) => o.sessionId) : [];

/**
 * The invitation as an email tells it. An answer that carries its state is told as that answer
 * left it (its language, the version it wrote, every session's status), so with a queue backlog
 * each answer's email states that answer, not the latest, and its calendar's SEQUENCE is that
 * answer's: calendar clients keep the highest, whatever order the emails arrive in. Anything else
 * (and an answer recorded before it carried its state) is told from the invitation as it is now.
 */
export const asAnswered = (event: CumbreEvent, invitation: Invitation): Invitation => {
  if (event.type !== 'rsvp.answered' || !event.state) return invitation;
  const { state } = event;
  return {
    ...invitation,
    language: state.language,
    version: state.version,
    sessions: state.sessions.map((s) => s.sessionId),
    responses: Object.fromEntries(
      state.sessions.map((s) => [
        s.sessionId,
        {
          status: s.status,
          seats: invitation.responses[s.sessionId]?.seats ?? 0,
          updatedAt: event.occurredAt,
          ...(s.waitlistTicket !== undefined ? { waitlistTicket: s.waitlistTicket } : {}),
        },
      ]),
    ),
  };
};

export class EmailDeliveryService {
  constructor(private readonly deps: EmailDeliveryDeps) {}

  /** Handles one change; returns what happened, for logs and tests. */
  async handle(event: CumbreEvent): Promise<'skipped' | 'sent' | 'resent' | 'duplicate' | 'rejected' | 'suppressed'> {
    if (!emailKindFor(event)) return 'skipped';
    const { reader, ledger, mailer, deliveries, clock } = this.deps;
    const [stored, record] = await Promise.all([reader.getInvitation(event.eventId, event.invitationId), reader.getEvent(event.eventId)]);
    if (!stored || !record) return 'skipped';
    const invitation = asAnswered(event, stored);
    const kind = emailKindFor(event, invitation)!;
    if (await this.deps.suppressions?.isSuppressed(invitation.email)) return 'suppressed';

    const emailId = emailIdFor(event, kind);
    // The invitation's delivery state orders emails by the change they tell of.
    const of = event.occurredAt;
    // The email is composed while the ledger is asked: a duplicate (rare) wastes the rendering, a
    // first delivery (the rule) saves a round trip before the send.
    const [claim, raw] = await Promise.all([
      ledger.claim({ emailId, eventId: event.eventId, invitationId: invitation.id, kind, to: invitation.email }, clock.now(), this.deps.leaseMs),
      this.compose(emailId, kind, event, invitation, record),
    ]);
    if (claim === 'done') return 'duplicate';
    let providerId: string;
    try {
      providerId = await mailer.send({ emailId, to: invitation.email, raw, tags: messageTags({ emailId, eventId: event.eventId, invitationId: invitation.id, kind, of }) });
    } catch (err) {
      if (isFinalRejection(err)) {
        await ledger.markRejected(emailId, event.eventId, err.message, clock.now());
        await deliveries.recordDelivery(event.eventId, invitation.id, { state: 'rejected', detail: err.message, at: clock.now().toISOString(), of });
        return 'rejected';
      }
      // Nothing was sent: give the lease back so the retry can claim it at once. A refused sending
      // (isFinalRejection) shows on the invitation as held until the email goes out.
      await ledger.release(emailId, event.eventId, (err as Error).message);
      if (err instanceof PermanentEmailError)
        await deliveries.recordDelivery(event.eventId, invitation.id, { state: 'held', detail: err.message, at: clock.now().toISOString(), of });
      throw err;
    }
    // If the ledger write fails (or the worker dies here), the record stays SENDING: after the
    // lease the next delivery resends once, marked — the one window no design closes. The
    // invitation's delivery state does not depend on it, so both are written at once.
    await Promise.all([
      ledger.markSent(emailId, event.eventId, providerId, clock.now()),
      deliveries.recordDelivery(event.eventId, invitation.id, { state: 'sent', detail: kind, at: clock.now().toISOString(), of }),
    ]);
    return claim === 'reclaimed' ? 'resent' : 'sent';
  }

  private async compose(emailId: string, kind: EmailKind, event: CumbreEvent, invitation: Invitation, record: EventRecord): Promise<Uint8Array> {
    const def = record.definition;
    const token = deriveRsvpToken(this.deps.tokenSecret, invitation.id, invitation.tokenNonce);
    const rsvpUrl = rsvpUrlFor(this.deps.publicBaseUrl, token);
    const sessions = await emailSessionsFor(def, invitation, (e, sid, ticket) => this.deps.reader.countWaitlistedBefore(e, sid, ticket));
    // A cancelled session is out of the invitation: it is written from the definition, cancelled in the calendar if a seat was held.
    const gone = event.type === 'invitation.session-cancelled' ? def.sessions.find((s) => s.id === event.sessionId) : undefined;
    if (gone) sessions.push({ id: gone.id, name: gone.name, start: gone.start, end: gone.end, status: 'declined' });
    const confirmed = sessions.some((s) => s.status === 'confirmed');
    const cancelled = gone ? (event.type === 'invitation.session-cancelled' && event.previous === 'confirmed' ? [gone.id] : []) : cancelledBy(event);
    const calendarKinds: EmailKind[] = ['confirmation', 'promoted', 'declined', 'rescheduled'];
    const withCalendar = gone ? cancelled.length > 0 : calendarKinds.includes(kind) && (confirmed || cancelled.length > 0);
    const rendered = renderEmail(
      kind,
      {
        invitee: { name: invitation.name, title: invitation.title },
        event: def,
        sessions,
        rsvpUrl,
        ...(confirmed ? { badgeUrl: `${rsvpUrl}/badge` } : {}),
        deadline: def.rsvpDeadline,
        ...('sessionId' in event ? { sessionId: event.sessionId } : {}),
        calendarAttached: withCalendar,
        cancelled,
        ...(event.type === 'invitation.rescheduled' ? { changedSessions: event.sessions } : {}),
        ...(event.type === 'invitation.session-cancelled' ? { previous: event.previous } : {}),
      },
      invitation.language,
    );
    const ics = withCalendar
      ? buildIcs({
          event: def,
          // Only the cancelled session: the file is a METHOD:CANCEL for that one entry.
          sessions: gone ? sessions.filter((s) => s.id === gone.id) : sessions,
          cancelled,
          invitee: { name: invitation.name, language: invitation.language },
          uidBase: invitation.id,
          // The invitation's and the event's revisions both only grow: an edit of either raises SEQUENCE.
          sequence: invitation.version + (def.version ?? 0),
          url: rsvpUrl,
        })
      : undefined;
    return buildRawEmail({
      from: this.deps.sender,
      to: { name: invitation.name, address: invitation.email },
      subject: rendered.subject,
      html: rendered.html,
      text: rendered.text,
      attachments: ics ? [{ filename: fileNameOf([def.name[invitation.language]], 'ics'), contentType: icsContentType(ics), content: ics }] : [],
      headers: { 'X-Cumbre-Email-Id': emailId },
    });
  }
}
