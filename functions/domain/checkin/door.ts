/**
 * The rules of the door, pure and shared: the check-in page decides each scan with them offline,
 * and the server builds arrivals from uploaded scans with the same merge. No Node or AWS imports.
 */
import type { CredentialClaims, InvalidCredentialReason } from '../badge/credential-format.js';
import { isRevoked, type Revocation } from './revocations.js';

/** Someone who may hold a badge: the invitee (`h: ""`) or a named companion of the delegation. */
export interface DoorPerson {
  i: string;
  h: string;
  name: string;
  /** For a companion: the invitee whose delegation they belong to. */
  delegation?: string;
  /** A companion's role in the delegation, as the organizers entered it. */
  role?: string;
  category: string;
  organization?: string;
  /** Sessions the holder is confirmed in now. */
  sessions: string[];
  /** Whether nationality and ID document are on file (never the data itself). */
  accredited: boolean;
}

export type Clearance = 'cleared' | 'refused' | 'pending';

export interface DoorSession {
  id: string;
  requiresAccreditation: boolean;
}

/** What a device knows while it scans: the event, its people, revocations, clearances and the first scans it has seen. */
export interface DoorState {
  eventId: string;
  sessions: DoorSession[];
  people: ReadonlyMap<string, DoorPerson>;
  revocations: readonly Revocation[];
  /** Security's decisions by holder key; absent when this device could not get them. */
  clearances?: ReadonlyMap<string, Clearance>;
  /** The first scan of each holder per session, from the server and the device's own queue. */
  firstScans: ReadonlyMap<string, FirstScan>;
}

export interface FirstScan {
  at: string;
  door: string;
}

export type RefusalReason =
  | InvalidCredentialReason
  | 'other_event'
  | 'unknown_session'
  | 'revoked'
  | 'not_for_session'
  | 'not_confirmed'
  | 'not_on_list'
  | 'no_accreditation'
  | 'not_cleared'
  | 'clearance_refused';

export type Verdict =
  | { kind: 'admit'; person?: DoorPerson; claims: CredentialClaims }
  | { kind: 'duplicate'; person?: DoorPerson; claims: CredentialClaims; first: FirstScan }
  | { kind: 'refuse'; reason: RefusalReason; person?: DoorPerson; claims?: CredentialClaims };

export const holderKey = (i: string, h: string) => `${i}/${h}`;
export const scanKey = (session: string, i: string, h: string) => `${session}|${i}/${h}`;

/**
 * Decides one verified credential at the door of `sessionId`. Order matters: what the badge itself
 * says (event, revocation, sessions printed) comes before what the device's list says (confirmed,
 * accredited, cleared), and a duplicate is only reported for someone who would be admitted.
 */
export const decide = (claims: CredentialClaims, sessionId: string, state: DoorState): Verdict => {
  const person = state.people.get(holderKey(claims.i, claims.h));
  const refuse = (reason: RefusalReason): Verdict => ({ kind: 'refuse', reason, person, claims });
  if (claims.e !== state.eventId) return refuse('other_event');
  const session = state.sessions.find((s) => s.id === sessionId);
  if (!session) return refuse('unknown_session');
  if (isRevoked(state.revocations, claims)) return refuse('revoked');
  if (!claims.s.includes(sessionId)) return refuse('not_for_session');
  if (person && !person.sessions.includes(sessionId)) return refuse('not_confirmed');
  if (session.requiresAccreditation) {
    // Nothing on this device vouches for someone it does not know: the guarded door stays shut.
    if (!person) return refuse('not_on_list');
    if (!person.accredited) return refuse('no_accreditation');
    const clearance = state.clearances?.get(holderKey(claims.i, claims.h)) ?? 'pending';
    if (clearance === 'refused') return refuse('clearance_refused');
    if (clearance !== 'cleared') return refuse('not_cleared');
  }
  const first = state.firstScans.get(scanKey(sessionId, claims.i, claims.h));
  if (first) return { kind: 'duplicate', person, claims, first };
  return { kind: 'admit', person, claims };
};

/** One scan as a device records it and uploads it (only scans whose credential verified are uploaded). */
export interface Scan {
  /** Random UUID made by the device: the upload's idempotency key. */
  id: string;
  /** The credential as scanned; the server verifies it again. */
  token: string;
  session: string;
  door: string;
  device: string;
  /** When it was scanned, on the device's clock (ISO 8601). */
  at: string;
  verdict: Verdict['kind'];
  reason?: RefusalReason;
}

/** A scan once its credential is read: who it was. */
export interface HolderScan extends Pick<Scan, 'id' | 'session' | 'door' | 'device' | 'at' | 'verdict' | 'reason'> {
  i: string;
  h: string;
}

/** One person's arrival in one session: recorded once, every scan of it kept. */
export interface Arrival {
  session: string;
  i: string;
  h: string;
  first: HolderScan;
  scans: HolderScan[];
  /** Admitted at more than one door (each device, offline, thought it was first): organizers look at it. */
  conflict: boolean;
}

const byTime = (a: HolderScan, b: HolderScan) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Merges scans (any order, any repetition: a retried upload, the device's queue beside the
 * server's copy) into arrivals: one per holder and session, the earliest scan first, duplicates
 * by id dropped, refusals left out. A conflict is two or more *admissions* at different doors —
 * a re-scan shown as a duplicate is the system working, not a conflict.
 */
export const mergeArrivals = (scans: Iterable<HolderScan>): Arrival[] => {
  const seen = new Set<string>();
  const groups = new Map<string, HolderScan[]>();
  for (const scan of scans) {
    if (seen.has(scan.id)) continue;
    seen.add(scan.id);
    if (scan.verdict === 'refuse') continue;
    const key = scanKey(scan.session, scan.i, scan.h);
    const group = groups.get(key);
    if (group) group.push(scan);
    else groups.set(key, [scan]);
  }
  return [...groups.values()]
    .map((group) => {
      const sorted = [...group].sort(byTime);
      const admittedAt = new Set(sorted.filter((s) => s.verdict === 'admit').map((s) => `${s.door}\u0000${s.device}`));
      const first = sorted[0];
      return { session: first.session, i: first.i, h: first.h, first, scans: sorted, conflict: admittedAt.size > 1 };
    })
    .sort((a, b) => byTime(a.first, b.first));
};

/** The first scan per holder and session, for duplicate detection on a device. */
export const firstScansOf = (arrivals: Iterable<Arrival>): Map<string, FirstScan> =>
  new Map([...arrivals].map((a) => [scanKey(a.session, a.i, a.h), { at: a.first.at, door: a.first.door }]));
