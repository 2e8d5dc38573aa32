/**
 * Every rule the domain can refuse has a typed error with a stable `code`, a message and, for
 * input, the failing fields. The domain knows nothing of HTTP: `functions/shared/http.ts` maps
 * each code to a status; pages map `code` to a message in the reader's language.
 */
import type { Language, SessionCounters } from './model.js';

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

/** A session's counter record as a failed condition found it (DynamoDB returns it with the cancellation). */
export interface CountersFound extends SessionCounters {
  capacity: number;
  cancelled?: boolean;
}

/** A seat condition failed at commit time: the listed sessions no longer match what was planned. */
export class SeatConflictError extends DomainError {
  readonly code = 'seat_conflict';
  constructor(
    readonly sessionIds: string[],
    /** Each conflicting session's counters at the moment its condition failed, when the store could say: a retry plans on them without reading. */
    readonly found?: Record<string, CountersFound>,
  ) {
    super(`Seats changed in ${sessionIds.join(', ')} while answering; try again`);
  }
}

/**
 * A service the request needs (the table, a queue) did not answer or refused for the moment:
 * throttling, a 5xx, a connection that failed. Nothing the request asked for can be relied on to
 * have happened, and sending it again is safe (answers and imports are idempotent): a 503 with
 * `Retry-After`, never a generic 500.
 */
export class ServiceUnavailableError extends DomainError {
  readonly code = 'service_unavailable';
  constructor(readonly retryAfterSeconds = 2) {
    super('The service is briefly unavailable and your request may not have been completed; please send it again in a few seconds.');
  }
}

export class BadgeNotReadyError extends DomainError {
  readonly code = 'badge_not_ready';
  constructor() {
    super('The badge is not ready yet: it is made once a session is confirmed, within a minute or two');
  }
}

// Events as data
/** An event with this id exists already; an event is created once and edited after. */
export class EventExistsError extends DomainError {
  readonly code = 'event_exists';
  constructor(eventId: string) {
    super(`Event ${eventId} exists already; edit it instead`, [{ field: 'id', message: `${eventId} is taken` }]);
  }
}

/** The edit was made on a version someone else has changed since; names what they changed. */
export class EventVersionConflictError extends DomainError {
  readonly code = 'event_version_conflict';
  constructor(eventId: string, expected: number, current: number, changed: string[] = []) {
    super(
      `Event ${eventId} was changed by someone else since you read it (version ${expected}, now ${current})${changed.length ? `: ${changed.join(', ')}` : ''}; reload it and apply your edit again`,
      [{ field: 'version', message: `is ${current} now${changed.length ? `; changed: ${changed.join(', ')}` : ''}` }],
    );
  }
}

/** A session cannot hold fewer seats than are confirmed in it: nobody is ever un-seated by a capacity edit. */
export class CapacityBelowConfirmedError extends DomainError {
  readonly code = 'capacity_below_confirmed';
  constructor(sessionId: string, capacity: number, confirmedSeats: number) {
    super(`Session ${sessionId} has ${confirmedSeats} seat(s) confirmed; its capacity cannot go down to ${capacity} (at least ${confirmedSeats})`, [
      { field: `sessions.${sessionId}.capacity`, message: `${confirmedSeats} seat(s) are taken; at least ${confirmedSeats}` },
    ]);
  }
}

/** An answer of yes to a session the organizers cancelled. */
export class SessionCancelledError extends DomainError {
  readonly code = 'session_cancelled';
  constructor(sessionIds: string[]) {
    super(
      `Cancelled by the organizers: ${sessionIds.join(', ')}`,
      sessionIds.map((id) => ({ field: 'responses', message: `${id} is cancelled` })),
    );
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

/**
 * The invitation email was sent again moments ago: a second click, or two organizers at once, would
 * put the same email in the invitee's inbox twice. Asks to wait `retryAfterSeconds`.
 */
export class ResendTooSoonError extends DomainError {
  readonly code = 'resend_too_soon';
  constructor(readonly retryAfterSeconds: number) {
    super(`The invitation email was sent again less than a minute ago; wait ${retryAfterSeconds} s before sending it once more`);
  }
}
