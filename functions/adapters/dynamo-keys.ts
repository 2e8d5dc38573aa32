/** The single-table layout, in one place. */
export const keys = {
  eventDef: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'DEF' }),
  /** Each edit keeps the definition it wrote, so a stale edit's 409 can name what changed since. */
  eventVersion: (eventId: string, version: number) => ({ pk: `EVENT#${eventId}`, sk: `REV#${String(version).padStart(8, '0')}` }),
  session: (eventId: string, sessionId: string) => ({ pk: `EVENT#${eventId}`, sk: `DEF#SESSION#${sessionId}` }),
  invitation: (eventId: string, invitationId: string) => ({ pk: `EVENT#${eventId}`, sk: `INV#${invitationId}` }),
  token: (tokenHash: string) => ({ pk: `TOKEN#${tokenHash}`, sk: 'TOKEN' }),
  /** The invitee's (`holder` empty) or a companion's accreditation, in the accreditation table. */
  accreditation: (eventId: string, invitationId: string, holder = '') => ({ pk: `EVENT#${eventId}`, sk: holder ? `ACCRED#${invitationId}#${holder}` : `ACCRED#${invitationId}` }),
  /** Outbox records are keyed per invitation so the stream keeps each invitee's changes in order. */
  outbox: (invitationId: string, occurredAt: string, id: string) => ({ pk: `OUTBOX#${invitationId}`, sk: `${occurredAt}#${id}` }),
  /** One record per waiting party, sorted by ticket: the waitlist in arrival order. */
  waitlist: (eventId: string, sessionId: string, ticket: number) => ({ pk: `WAIT#${eventId}#${sessionId}`, sk: String(ticket).padStart(10, '0') }),
  email: (eventId: string, emailId: string) => ({ pk: `EVENT#${eventId}`, sk: `EMAIL#${emailId}` }),
  /** The invitee's badge (`holder` empty) or a companion's. */
  badge: (eventId: string, invitationId: string, holder = '') => ({ pk: `EVENT#${eventId}`, sk: holder ? `BADGE#${invitationId}#${holder}` : `BADGE#${invitationId}` }),
  /** A door scan, once per scan id (check-in). */
  scan: (eventId: string, scanId: string) => ({ pk: `EVENT#${eventId}`, sk: `SCAN#${scanId}` }),
  audit: (eventId: string, invitationId: string, at: string, id: string) => ({ pk: `EVENT#${eventId}`, sk: `AUDIT#${invitationId}#${at}#${id}` }),
  // reminders
  /** A group message an organizer sent: its text per language, filter and fan-out state. */
  message: (eventId: string, messageId: string) => ({ pk: `EVENT#${eventId}`, sk: `MESSAGE#${messageId}` }),
  /** Cumbre's own suppression list, per address (lower case) across events: bounced for good or complained. */
  suppression: (email: string) => ({ pk: `SUPPRESSION#${email.trim().toLowerCase()}`, sk: 'SUPPRESSION' }),
} as const;

/** Outbox records leave through the stream at once; they are kept a week for inspection, then expire. */
export const OUTBOX_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The invitations by their link's token hash (sparse: only invitations carry `tokenHash`), every
 * attribute projected. A copy here may lag the table by a moment, so only an answer's optimistic
 * first plan starts from it: the commit's condition on the invitation's version does the checking,
 * and a miss or a lost race falls back to the consistent reads.
 */
export const TOKEN_INDEX = 'InvitationsByToken';

/**
 * The sparse index of outbox records not yet marked dispatched: `undispatched` (a shard) and
 * `occurredAt`. Marking removes `undispatched`, so the index holds only what the sweep may owe.
 * Eight shards keep a 10,000-row import (a write and a removal per record) under one index
 * partition's write rate.
 */
export const UNDISPATCHED_INDEX = 'Undispatched';
export const UNDISPATCHED_SHARDS = 8;
export const undispatchedShard = (changeId: string) => {
  let sum = 0;
  for (const c of changeId) sum = (sum + c.charCodeAt(0)) % UNDISPATCHED_SHARDS;
  return `OUTBOX#UNDISPATCHED#${sum}`;
};
