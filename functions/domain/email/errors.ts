import { DomainError } from '../errors.js';

/*
 * The mailer's and the ledger's errors, in a module of their own: the SES feedback worker and the
 * ledger adapter need them, and importing them from delivery.ts brought nodemailer's module-level
 * code (and the templates) into bundles that never compose an email.
 */

/**
 * SES refused the message for good (bad address, unverified sender…): retrying cannot help.
 * `about` says whose problem it is: the recipient's address (nothing ops can fix), or the sending
 * itself (identity, account, a request SES refuses), which stops every email and must alarm.
 */
export class PermanentEmailError extends DomainError {
  readonly code = 'email_rejected';
  constructor(
    message: string,
    readonly about: 'recipient' | 'sending' = 'sending',
  ) {
    super(message);
  }
}
/**
 * Whether a refusal is final for this one email: SES refused its recipient. A refusal of the
 * sending itself (sender identity, paused account, a request SES refuses) is an outage, not a
 * verdict on the email: nothing goes out until ops fix it, and then every email still must. So the
 * senders give such an email's lease back and fail its message: SQS retries it and, past
 * `maxReceiveCount`, keeps it in the queue's DLQ (alarmed) for a redrive once fixed — never
 * `REJECTED` on the ledger, which no retry, redrive or reminder would get past.
 */
export const isFinalRejection = (err: unknown): err is PermanentEmailError => err instanceof PermanentEmailError && err.about === 'recipient';

/** Throttling or a passing fault: the message is retried later with backoff. */
export class TransientEmailError extends DomainError {
  readonly code = 'email_unavailable';
}
/**
 * Another worker holds this email's lease right now. `retryAfterMs` is what is left of that lease:
 * the queue worker hands the message back for that long (a live sender finishes; a dead one's lease
 * runs out and the next delivery resends once, marked), instead of spending the message's receives.
 */
export class EmailInProgressError extends DomainError {
  readonly code = 'email_in_progress';
  constructor(
    message: string,
    readonly retryAfterMs = 0,
  ) {
    super(message);
  }
}
