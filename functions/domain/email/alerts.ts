import type { CapacityAlert } from '../alerts.js';
import type { Language } from '../model.js';
import type { EventRecord } from '../ports.js';
import type { EmailLedger, Mailer } from './delivery.js';
import { isFinalRejection } from './errors.js';
import { buildRawEmail } from './mime.js';
import { messageTags } from './tags.js';
import { escapeHtml } from './templates.js';
import { emailText } from '#i18n/email/index.js';

export interface AlertSenderDeps {
  reader: { getEvent(eventId: string): Promise<EventRecord | undefined> };
  ledger: EmailLedger;
  mailer: Mailer;
  clock: { now(): Date };
  sender: { name: string; address: string };
  /** Where capacity alerts go; one address or a distribution list. */
  organizers: string;
  language: Language;
  leaseMs: number;
}

/**
 * The email worker's half of capacity alerts: claims the alert's ledger record and sends it once, in
 * the organizers' language, stating the seats as they were when the threshold was crossed. Apart
 * from the check (`../alerts.ts`) so the MIME code stays in the one bundle that sends.
 */
export class AlertSender {
  constructor(private readonly deps: AlertSenderDeps) {}

  async deliver(alert: CapacityAlert): Promise<'sent' | 'resent' | 'duplicate' | 'skipped' | 'rejected'> {
    const { reader, ledger, mailer, clock, language, organizers } = this.deps;
    const record = await reader.getEvent(alert.eventId);
    const session = record?.sessions.find((s) => s.id === alert.sessionId);
    // An event or session deleted since: nobody to tell about it.
    if (!record || !session) return 'skipped';
    const claim = await ledger.claim({ emailId: alert.emailId, eventId: alert.eventId, invitationId: '-', kind: 'capacity-alert', to: organizers }, clock.now(), this.deps.leaseMs);
    if (claim === 'done') return 'duplicate';
    const t = emailText(language);
    const words = { event: record.definition.name[language], session: session.name[language], threshold: alert.threshold };
    const text = t('alert.text', { ...words, confirmed: alert.confirmedSeats, capacity: alert.capacity });
    const raw = await buildRawEmail({
      from: this.deps.sender,
      to: organizers,
      subject: t('alert.subject', words),
      text,
      html: `<p>${escapeHtml(text)}</p>`,
    });
    let providerId: string;
    try {
      providerId = await mailer.send({
        emailId: alert.emailId,
        to: organizers,
        raw,
        tags: messageTags({ emailId: alert.emailId, eventId: alert.eventId, invitationId: '-', kind: 'capacity-alert' }),
      });
    } catch (err) {
      // A refused address is final; a refused sending (ops' alarm, the mailer's EmailsRejected
      // metric) is held: the lease goes back and the message fails, to be retried or redriven.
      if (isFinalRejection(err)) {
        await ledger.markRejected(alert.emailId, alert.eventId, err.message, clock.now());
        return 'rejected';
      }
      await ledger.release(alert.emailId, alert.eventId, (err as Error).message);
      throw err;
    }
    await ledger.markSent(alert.emailId, alert.eventId, providerId, clock.now());
    return claim === 'reclaimed' ? 'resent' : 'sent';
  }
}
