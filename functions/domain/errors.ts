/**
 * Every rule the domain can refuse has a typed error with a stable `code`, a message and, for
 * input, the failing fields. The domain knows nothing of HTTP: `functions/shared/http.ts` maps
 * each code to a status; pages map `code` to a message in the reader's language.
 */
import type { Language } from './model.js';

export interface FieldIssue {
  /** Dotted path of the failing field, e.g. `responses.0.sessionId` or `rows.12.email`. */
  field: string;
  message: string;
  /** 1-based CSV/JSON row number, for imports. */
  row?: number;
}

export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details?: FieldIssue[];
  constructor(message: string, details?: FieldIssue[]) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class ValidationError extends DomainError {
  readonly code = 'validation_failed';
  constructor(details: FieldIssue[], message = ValidationError.summarize(details)) {
    super(message, details);
  }
  static summarize(details: FieldIssue[]): string {
    const shown = details.slice(0, 5).map((d) => `${d.row !== undefined ? `row ${d.row} ` : ''}${d.field}: ${d.message}`);
    return `Invalid input: ${shown.join('; ')}${details.length > 5 ? `; and ${details.length - 5} more` : ''}`;
  }
}

export class PayloadTooLargeError extends DomainError {
  readonly code = 'payload_too_large';
  constructor(limitBytes: number) {
    super(`Request body exceeds ${limitBytes} bytes`, [{ field: 'body', message: `at most ${limitBytes} bytes` }]);
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  readonly code = 'unsupported_media_type';
  constructor(contentType: string, accepted: string[]) {
    super(`Content-Type ${contentType || '(none)'} is not accepted; use ${accepted.join(' or ')}`, [{ field: 'content-type', message: `expected ${accepted.join(' or ')}` }]);
  }
}

export class EventNotFoundError extends DomainError {
  readonly code = 'event_not_found';
  constructor(eventId: string) {
    super(`Event ${eventId} does not exist`);
  }
}

/** The same error for an unknown and a malformed token, so tokens cannot be enumerated. */
export class InvitationNotFoundError extends DomainError {
  readonly code = 'invitation_not_found';
  constructor() {
    super('Invitation not found');
  }
}

export class RsvpClosedError extends DomainError {
  readonly code = 'rsvp_closed';
  constructor(deadline: string) {
    super(`Answers closed at the RSVP deadline (${deadline})`);
  }
}

/** More guests were asked for than a session confirmed earlier still has seats for. */
export class NotEnoughSeatsError extends DomainError {
  readonly code = 'not_enough_seats';
  constructor(sessionIds: string[]) {
    super(`Not enough free seats for the extra guests in: ${sessionIds.join(', ')}`, [{ field: 'guests', message: `no seats left for more guests in ${sessionIds.join(', ')}` }]);
  }
}

/** Someone else changed the record between read and write; callers re-read and retry. */
export class ConcurrentUpdateError extends DomainError {
  readonly code = 'concurrent_update';
  constructor(what: string) {
    super(`${what} changed while this request was being processed; try again`);
  }
}

/** An invitee's answer, arriving while their re-import was written, now forbids a row's change. */
export class ImportConflictError extends DomainError {
  readonly code = 'import_conflict';
  constructor(details: FieldIssue[]) {
    super(`${new Set(details.map((d) => d.row)).size} row(s) conflict with answers given while importing; send the file again once they are settled`, details);
  }
}

/**
 * The commit collided with another transaction on one of its items; none of its conditions failed,
 * so the same plan may simply be committed again.
 */
export class WriteCollisionError extends ConcurrentUpdateError {
  constructor() {
    super('A record');
  }
}

/** A seat condition failed at commit time: the listed sessions no longer match what was planned. */
export class SeatConflictError extends DomainError {
  readonly code = 'seat_conflict';
  constructor(readonly sessionIds: string[]) {
    super(`Seats changed in ${sessionIds.join(', ')} while answering; try again`);
  }
}

export class BadgeNotReadyError extends DomainError {
  readonly code = 'badge_not_ready';
  constructor() {
    super('The badge is not ready yet: it is made once a session is confirmed, within a minute or two');
  }
}

/** The invitation was revoked by an organizer: its link shows a page saying so, in `language`. */
export class InvitationRevokedError extends DomainError {
  readonly code = 'invitation_revoked';
  constructor(readonly language: Language) {
    super('This invitation was withdrawn by the organizers');
  }
}

/** The link belonged to an invitee who was replaced (a deputy comes instead): it no longer answers. */
export class LinkRetiredError extends DomainError {
  readonly code = 'link_retired';
  constructor(readonly language: Language) {
    super('This invitation link is no longer valid: the invitation was passed on to someone else');
  }
}

/** An organizer's edit was made on a version of the invitation that is no longer the stored one. */
export class StaleVersionError extends DomainError {
  readonly code = 'stale_version';
  constructor(expected: number, actual: number) {
    super(`The invitation changed since it was loaded (version ${expected}, now ${actual}); reload it and apply the change again`, [
      { field: 'version', message: `is ${expected}; the invitation is now at version ${actual}` },
    ]);
  }
}
