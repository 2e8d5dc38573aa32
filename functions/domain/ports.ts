import type { AuditEntry } from './access/audit.js';
import type { CumbreEvent } from './outbox.js';
import type { Accreditation, EventDefinition, Invitation, SessionCounters, SessionState } from './model.js';

export interface EventRecord {
  definition: EventDefinition;
  sessions: SessionState[];
}

/** A change to one session's counters, guarded by what the planner saw. */
export interface SessionChange {
  sessionId: string;
  /** Amounts to add to each counter (negative to release). */
  delta: Partial<SessionCounters>;
  /** The capacity the plan was made against; a changed capacity fails the commit. */
  capacity: number;
  /** Commit only while `mustFit` more seats still fit: this is what makes overbooking impossible. */
  mustFit?: number;
  /** Commit only while `mustNotFit` seats still do not fit, so nobody is waitlisted beside a free seat. */
  mustNotFit?: number;
}

export interface InvitationCommit {
  /** The invitation as it will be stored; its `version` must be `expectedVersion + 1`. */
  invitation: Invitation;
  expectedVersion: number;
  sessionChanges: SessionChange[];
  accreditation?: Accreditation;
  /** Deletes the stored accreditation: the invitee no longer holds a session that needs it. */
  removeAccreditation?: boolean;
  /** Companions' accreditation records to write (each replaces the holder's record, resetting clearance). */
  companionAccreditations?: Array<{ holder: string; accreditation: Accreditation }>;
  /** Companion holders whose accreditation record is deleted (removed, renamed, or no session needs it). */
  removeCompanionAccreditations?: string[];
  /** Waitlist places taken or given up in this commit (kept as their own records for ordering). */
  waitlist?: WaitlistChange[];
  events: CumbreEvent[];
  /**
   * Waitlisted parties given the seats this commit frees, in the same transaction, so no answer
   * arriving after it can take them first. Each is guarded by its invitation's version.
   */
  promotions?: Promotion[];
  /** The organizer's audit record of this change, committed in the same transaction: both or neither. */
  audit?: AuditEntry;
  /** A new RSVP link for the invitation (its token's hash), indexed in the same transaction; the invitation carries it as `tokenHash`. */
  newTokenHash?: string;
}

/** A waitlisted invitation confirmed in another invitation's commit. */
export interface Promotion {
  /** The invitation as it will be stored; its `version` must be `expectedVersion + 1`. */
  invitation: Invitation;
  expectedVersion: number;
  /** The waitlist places it gives up for seats. */
  places: Array<{ sessionId: string; ticket: number }>;
  events: CumbreEvent[];
}

export interface WaitlistChange {
  op: 'add' | 'remove';
  sessionId: string;
  ticket: number;
  seats: number;
  /** A place this commit takes with a new ticket: the commit fails (a concurrent change) if another party holds the ticket. */
  newPlace?: boolean;
}

export interface WaitlistEntry {
  invitationId: string;
  ticket: number;
  seats: number;
}

export interface NewInvitation {
  invitation: Invitation;
  events: CumbreEvent[];
}

/**
 * Persistence for the RSVP core. Every method that changes state is atomic: the records, the seat
 * counters and the outbox events commit together or not at all.
 */
export interface CumbreStore {
  getEvent(eventId: string): Promise<EventRecord | undefined>;
  /**
   * The seed's write: creates or updates an event and its sessions (seat counters kept), unless
   * organizers have edited it since (`kept`: their edits win over a redeploy).
   */
  putEventDefinition(definition: EventDefinition): Promise<'written' | 'kept'>;
  findInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  /**
   * The invitation a token leads to in one read, as a copy that may lag the latest write by a
   * moment, or undefined (unknown, or not yet indexed): only ever the start of an optimistic plan,
   * whose commit checks the version it read.
   */
  peekInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined>;
  getInvitation(eventId: string, invitationId: string): Promise<Invitation | undefined>;
  getInvitations(eventId: string, invitationIds: string[]): Promise<Invitation[]>;
  listInvitations(eventId: string): Promise<Invitation[]>;
  /**
   * Fails with ConcurrentUpdateError if any of them already exists. With `audit`, the items (at
   * most 25) and the organizer's audit record commit in one transaction: both or neither.
   */
  createInvitations(items: NewInvitation[], audit?: AuditEntry): Promise<void>;
  /** Throws SeatConflictError (naming the sessions) or ConcurrentUpdateError (the invitation). */
  commitInvitation(commit: InvitationCommit): Promise<void>;
  /** The session's waitlist in arrival (ticket) order. */
  listWaitlist(eventId: string, sessionId: string): Promise<WaitlistEntry[]>;
  /** How many parties wait ahead of `ticket`. */
  countWaitlistedBefore(eventId: string, sessionId: string, ticket: number): Promise<number>;
  /**
   * Sets a session's counters to what its records say, only if the counters still hold `expected`
   * (so a concurrent answer is never overwritten), and writes the audit entry in the same commit.
   */
  repairCounters(eventId: string, sessionId: string, expected: SessionCounters, actual: SessionCounters, audit: { id: string; at: string }): Promise<RepairOutcome>;
  /**
   * Deletes a waitlist entry that no longer matches its invitation (the party was promoted or left
   * by another path), only while it still names `invitationId`. Returns whether it was there.
   */
  removeStaleWaitlistEntry(eventId: string, sessionId: string, ticket: number, invitationId: string): Promise<boolean>;
  listEventIds(): Promise<string[]>;
  /** Every accreditation record of the event; a companion's carries its `holder` id. */
  listAccreditations(eventId: string): Promise<Array<{ invitationId: string; holder?: string; accreditation: Accreditation }>>;
}

/**
 * What a counter repair did: `repaired`; `counters_moved` when the counters no longer hold what
 * was read (an answer landed; the next run looks again); `write_conflict` when another transaction
 * touched the session at that instant (also left for the next run). Any other failure throws.
 */
export type RepairOutcome = 'repaired' | 'counters_moved' | 'write_conflict';

/** Time and randomness, injected so the domain stays deterministic under test. */
export interface Clock {
  now(): Date;
}
export interface IdGenerator {
  newId(): string;
}

// Events as data
/** One session's part in an event edit; the counter record is what every answer is conditioned on. */
export interface EventSessionOp {
  sessionId: string;
  /** A new session: its counter record, empty. */
  create?: { capacity: number };
  /** Capacity from → to, conditioned on `from` still being the capacity (answers planned on it re-plan). */
  capacity?: { from: number; to: number };
  /** Counters moved by waitlisted parties promoted in the same transaction. */
  delta?: Partial<SessionCounters>;
  /** Commit only while confirmed seats plus `mustFit` still fit the new capacity (never overbooked). */
  mustFit?: number;
  /** Cancelled: capacity 0, so no answer planned before can commit a seat in it. */
  cancel?: boolean;
}

export interface EventCommit {
  eventId: string;
  /** The definition as it will be stored; its `version` must be `expectedVersion + 1`. Absent for a further step of a raise. */
  definition?: EventDefinition;
  /** 0 for a definition never edited (only seeded). */
  expectedVersion: number;
  sessions: EventSessionOp[];
  events: CumbreEvent[];
  promotions?: Promotion[];
}

/** Events as organizers' data: created once, edited with versioned writes. */
export interface EventStore {
  /** The definition, version 1, and an empty counter record per session, in one transaction; ConcurrentUpdateError if it exists. */
  createEvent(definition: EventDefinition): Promise<void>;
  /** Throws ConcurrentUpdateError (stale definition or a promoted invitation) or SeatConflictError (naming the sessions whose counters refused). */
  commitEventChange(commit: EventCommit): Promise<void>;
  /** A definition as it was at `version` (each edit keeps its own), for naming what a concurrent edit changed. */
  getEventVersion(eventId: string, version: number): Promise<EventDefinition | undefined>;
  /** Outbox records with ids of their own making; one already written is left as it is (a rerun tells nobody twice). */
  putOutboxEvents(events: CumbreEvent[]): Promise<void>;
}
