import { buildRawEmail } from './email/mime.js';
import { escapeHtml } from './email/templates.js';
import type { EmailLedger, Mailer } from './email/delivery.js';
import { messageTags } from './email/tags.js';
import type { Language } from './model.js';
import type { EventRecord } from './ports.js';

/** Fill levels at which organizers hear about a session, once each. */
export const THRESHOLDS = [80, 95, 100] as const;

export const crossedThresholds = (confirmedSeats: number, capacity: number) => THRESHOLDS.filter((t) => confirmedSeats * 100 >= t * capacity);

const TEXT: Record<Language, (session: string, t: number, c: number, cap: number) => string> = {
  es: (s, t, c, cap) => `La sesión «${s}» alcanzó el ${t} % de su capacidad: ${c} de ${cap} lugares confirmados.`,
  en: (s, t, c, cap) => `Session “${s}” reached ${t}% of capacity: ${c} of ${cap} seats confirmed.`,
  fr: (s, t, c, cap) => `La séance « ${s} » a atteint ${t} % de sa capacité : ${c} places confirmées sur ${cap}.`,
};

export interface AlertServiceDeps {
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
 * Capacity alerts for organizers. The email ledger is the "once": an alert's id is its event,
 * session and threshold, so a redelivered check or a later seat sends nothing again.
 */
export class AlertService {
  constructor(private readonly deps: AlertServiceDeps) {}

  async check(record: EventRecord, sessionId: string): Promise<number[]> {
    const session = record.sessions.find((s) => s.id === sessionId);
    if (!session) return [];
    const sent: number[] = [];
    for (const threshold of crossedThresholds(session.confirmedSeats, session.capacity)) {
      const emailId = `alert:${record.definition.id}:${sessionId}:${threshold}`;
      const { ledger, mailer, clock, language } = this.deps;
      const claim = await ledger.claim(
        { emailId, eventId: record.definition.id, invitationId: '-', kind: 'capacity-alert', to: this.deps.organizers },
        clock.now(),
        this.deps.leaseMs,
      );
      if (claim === 'done') continue;
      const text = TEXT[language](session.name[language], threshold, session.confirmedSeats, session.capacity);
      const raw = await buildRawEmail({
        from: this.deps.sender,
        to: this.deps.organizers,
        subject: `[Cumbre] ${record.definition.name[language]}: ${session.name[language]} ${threshold}%`,
        text,
        html: `<p>${escapeHtml(text)}</p>`,
      });
      try {
        const id = await mailer.send({
          emailId,
          to: this.deps.organizers,
          raw,
          tags: messageTags({ emailId, eventId: record.definition.id, invitationId: '-', kind: 'capacity-alert' }),
        });
        await ledger.markSent(emailId, record.definition.id, id, clock.now());
        sent.push(threshold);
      } catch (err) {
        await ledger.release(emailId, record.definition.id, (err as Error).message);
        throw err;
      }
    }
    return sent;
  }
}
