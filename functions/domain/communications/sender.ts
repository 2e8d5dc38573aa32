import type { Invitation, Language } from '../model.js';
import type { Clock, EventRecord } from '../ports.js';
import { deriveRsvpToken } from '../tokens.js';
import { rsvpUrlFor } from '../invitations/links.js';
import type { DeliveryRecorder, EmailLedger, Mailer } from '../email/delivery.js';
import { isFinalRejection } from '../email/errors.js';
import { buildIcs, icsContentType } from '../email/ics.js';
import { buildRawEmail } from '../email/mime.js';
import { fileNameOf } from '../file-names.js';
import { messageTags, tagValue } from '../email/tags.js';
import { emailSessionsFor } from '../email/templates.js';
import { zonedLocalToUtc } from '../time.js';
import { acceptsOptionalMail, attendanceDays, awaitingAnswer } from './due.js';
import { contentLanguageFor } from './group.js';
import type { Communication, CommunicationsStore, GroupMessageRecord } from './ports.js';
import { listUnsubscribeHeaders, renderCommunication, type CommunicationContent } from './render.js';
import { unsubscribeToken, unsubscribeUrlFor } from './unsubscribe.js';

export interface DeliveryDeps {
  store: CommunicationsStore;
  clock: Clock;
  publicBaseUrl: string;
  ledger: EmailLedger;
  mailer: Mailer;
  deliveries: DeliveryRecorder;
  tokenSecret: string;
  unsubscribeKey: string;
  sender: { name: string; address: string };
  leaseMs: number;
}

/** What is owed, before the language is chosen: a group message carries every version. */
type Owed = Exclude<CommunicationContent, { kind: 'group' }> | { kind: 'group'; versions: GroupMessageRecord['content'] };

/**
 * The email worker's half of reminders and group messages (apart from the planning half, so the
 * MIME and calendar code stays in the one bundle that sends): claims the ledger record, checks the
 * email is still owed (answered since, opted out, suppressed… are recorded as SKIPPED), renders it
 * in the invitee's language with its List-Unsubscribe headers, and sends it once.
 */
export class CommunicationSender {
  constructor(private readonly deps: DeliveryDeps) {}

  /** The email worker's half: claims the ledger record, checks the email is still owed, renders and sends it. */
  async deliver(c: Communication): Promise<'sent' | 'resent' | 'duplicate' | 'skipped' | 'rejected'> {
    const d = this.deps;
    const { store, clock } = this.deps;
    const [invitation, record] = await Promise.all([store.getInvitation(c.eventId, c.invitationId), store.getEvent(c.eventId)]);
    const claim = await d.ledger.claim(
      { emailId: c.emailId, eventId: c.eventId, invitationId: c.invitationId, kind: c.kind, to: invitation?.email ?? '-' },
      clock.now(),
      d.leaseMs,
    );
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
    const tags = {
      // A reminder or group message tells of itself: it is as new as its sending.
      ...messageTags({ emailId: c.emailId, eventId: c.eventId, invitationId: c.invitationId, kind: c.kind, of: now.toISOString() }),
      ...(c.messageId ? { messageId: tagValue(c.messageId) } : {}),
    };
    let providerId: string;
    try {
      providerId = await d.mailer.send({ emailId: c.emailId, to: invitation.email, raw, tags });
    } catch (err) {
      // A refused address is final; a refused sending is held (isFinalRejection): lease back, message failed.
      if (isFinalRejection(err)) {
        await d.ledger.markRejected(c.emailId, c.eventId, err.message, clock.now());
        await d.deliveries.recordDelivery(c.eventId, invitation.id, { state: 'rejected', detail: err.message, at: clock.now().toISOString(), of: now.toISOString() });
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
    const d = this.deps;
    const def = record.definition;
    const rsvpUrl = rsvpUrlFor(this.deps.publicBaseUrl, deriveRsvpToken(d.tokenSecret, invitation.id, invitation.tokenNonce));
    const unsubscribeUrl = unsubscribeUrlFor(this.deps.publicBaseUrl, unsubscribeToken(d.unsubscribeKey, c.eventId, invitation.id));
    const sessions = await emailSessionsFor(def, invitation, (e, sid, ticket) => this.deps.store.countWaitlistedBefore(e, sid, ticket));
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
      attachments: ics ? [{ filename: fileNameOf([def.name[language]], 'ics'), contentType: icsContentType(ics), content: ics }] : [],
      headers: { 'X-Cumbre-Email-Id': c.emailId, ...listUnsubscribeHeaders(unsubscribeUrl) },
    });
  }
}
