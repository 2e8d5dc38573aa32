import * as z from '../zod.js';
import type { CredentialClaims } from '../badge/credential-format.js';
import { toCsv } from '../csv.js';
import { DomainError, EventNotFoundError } from '../errors.js';
import type { Invitation, Language, Localized } from '../model.js';
import { readableWords } from '../exports/readable.js';
import type { Clock, CumbreStore } from '../ports.js';
import { plainText } from '../text.js';
import { holderKey, mergeArrivals, type Arrival, type DoorPerson, type HolderScan, type RefusalReason, type Scan } from './door.js';
import { buildRevocationList, revocationListText, revocationSignedBytes, type CurrentBadge, type RevocableInvitation, type SignedRevocationList } from './revocations.js';

/** A scan as stored: the device's record plus who the verified credential names and who uploaded it. */
export interface StoredScan extends HolderScan {
  /** Version the badge was printed from. */
  n: number;
  uploadedBy: string;
  uploadedAt: string;
}

/** Where scans live: one record per scan id, written once. */
export interface ScanStore {
  /** `already` when a scan with this id is stored (a retried upload): nothing is written then. */
  put(eventId: string, scan: StoredScan): Promise<'recorded' | 'already'>;
  list(eventId: string): Promise<StoredScan[]>;
}

/** The badge ledger as the revocation list reads it: each holder's current badge version. */
export interface BadgeVersions {
  listBadges(eventId: string): Promise<CurrentBadge[]>;
}

/** Thrown for an upload whose credentials are not ours, not this event's, or name sessions the event lacks: nothing is written. */
export class ScanRefusedError extends DomainError {
  readonly code = 'scan_refused';
  constructor(problems: Array<{ index: number; reason: string }>) {
    super(
      `${problems.length} scan(s) carry no valid credential of this event; nothing was recorded`,
      problems.map((p) => ({ field: `scans.${p.index}.token`, message: p.reason })),
    );
  }
}

const REFUSALS = [
  'malformed',
  'bad_signature',
  'bad_claims',
  'other_event',
  'unknown_session',
  'revoked',
  'not_for_session',
  'not_confirmed',
  'not_on_list',
  'no_accreditation',
  'not_cleared',
  'clearance_refused',
] as const satisfies readonly RefusalReason[];

export const MAX_SCANS_PER_UPLOAD = 100;

export const scanSchema = z.strictObject({
  id: z.uuid(),
  token: z.string().check(z.minLength(8), z.maxLength(800)),
  session: z.string().check(z.regex(/^[a-z0-9-]{3,64}$/)),
  door: z.pipe(plainText(60), z.string().check(z.minLength(1))),
  device: z.string().check(z.regex(/^[A-Za-z0-9_-]{8,64}$/)),
  at: z.iso.datetime({ offset: true }),
  verdict: z.enum(['admit', 'duplicate', 'refuse']),
  reason: z.optional(z.enum(REFUSALS)),
});
export const uploadSchema = z.strictObject({ scans: z.array(scanSchema).check(z.minLength(1), z.maxLength(MAX_SCANS_PER_UPLOAD)) });
export type UploadRequest = z.infer<typeof uploadSchema>;

export interface UploadResult {
  recorded: string[];
  already: string[];
}

/** The session outline the door page and the dashboard show. */
export interface DoorEventOutline {
  id: string;
  name: Localized;
  timezone: string;
  sessions: Array<{ id: string; name: Localized; start: string; end: string; requiresAccreditation: boolean }>;
  /** The event's own categories (ids and names per language): a verdict names the holder's category in the page's language. */
  categories: Array<{ id: string; name: Localized }>;
}

/** What a door device downloads and keeps for offline use. */
export interface DoorPackage {
  event: DoorEventOutline;
  /** The badge key's 32 raw Ed25519 bytes, base64url. */
  publicKey: string;
  people: DoorPerson[];
  revocations: SignedRevocationList;
  /** Arrivals so far (first scans), so a device knows who came in at other doors. */
  arrivals: Arrival[];
  at: string;
}

export interface ArrivalView {
  i: string;
  h: string;
  name: string;
  delegation?: string;
  category: string;
  organization?: string;
  at: string;
  door: string;
  conflict: boolean;
  scans: Array<{ at: string; door: string; verdict: Scan['verdict'] }>;
}

export interface SessionArrivals {
  id: string;
  arrivals: ArrivalView[];
  /** Confirmed for the session, not scanned in (yet). */
  noShows: Array<Pick<DoorPerson, 'i' | 'h' | 'name' | 'delegation' | 'category' | 'organization'>>;
  /** Arrivals admitted at more than one door. */
  conflicts: number;
  /** Scans refused at this session's doors. */
  refused: number;
}

export interface ArrivalsReport {
  event: DoorEventOutline;
  sessions: SessionArrivals[];
  at: string;
}

/** A named companion as the delegations work stores it on the invitation (read structurally until that lands). */
interface CompanionLike {
  id: string;
  name: string;
  role?: string;
  hasAccreditation?: boolean;
}

const companionsOf = (inv: Invitation): CompanionLike[] => {
  const list = (inv as Invitation & { companions?: unknown }).companions;
  return Array.isArray(list) ? (list as CompanionLike[]).filter((c) => typeof c?.id === 'string' && typeof c.name === 'string') : [];
};

const confirmedSessions = (inv: Invitation) => inv.sessions.filter((s) => inv.responses[s]?.status === 'confirmed');

/** Everyone who may hold a badge of the invitation: the invitee, then each named companion. */
export const holdersOf = (inv: Invitation): DoorPerson[] => {
  if (inv.status === 'revoked') return [];
  const sessions = confirmedSessions(inv);
  const invitee: DoorPerson = {
    i: inv.id,
    h: '',
    name: inv.badgeName || inv.name,
    category: inv.category,
    ...(inv.organization ? { organization: inv.organization } : {}),
    sessions,
    accredited: inv.hasAccreditation,
  };
  return [
    invitee,
    ...companionsOf(inv).map((c) => ({
      i: inv.id,
      h: c.id,
      name: c.name,
      delegation: invitee.name,
      ...(c.role ? { role: c.role } : {}),
      category: inv.category,
      ...(inv.organization ? { organization: inv.organization } : {}),
      sessions,
      accredited: c.hasAccreditation === true,
    })),
  ];
};

const base64url = (bytes: Uint8Array) => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
};

export interface CheckinServiceDeps {
  store: Pick<CumbreStore, 'getEvent' | 'listInvitations'>;
  scans: ScanStore;
  badges: BadgeVersions;
  signer: { signDetached(message: Uint8Array): Uint8Array; readonly publicKeyRaw: Uint8Array };
  /** The Node verifier (`verifyCredential` with the badge key); throws on anything not authentic. */
  verify(token: string): CredentialClaims;
  clock: Clock;
}

/**
 * Check-in at the doors: what a door device downloads (people, signed revocations, arrivals so
 * far), the idempotent upload of its scans, and the organizers' arrivals and CSV.
 */
export class CheckinService {
  constructor(private readonly deps: CheckinServiceDeps) {}

  private async event(eventId: string) {
    const record = await this.deps.store.getEvent(eventId);
    if (!record) throw new EventNotFoundError(eventId);
    const d = record.definition;
    const outline: DoorEventOutline = {
      id: d.id,
      name: d.name,
      timezone: d.timezone,
      sessions: d.sessions.map((s) => ({ id: s.id, name: s.name, start: s.start, end: s.end, requiresAccreditation: s.requiresAccreditation })),
      categories: d.categories.map((c) => ({ id: c.id, name: c.name })),
    };
    return outline;
  }

  /** The signed revocation list as of now: contract entries on invitations plus superseded badges. */
  async revocations(eventId: string, invitations?: RevocableInvitation[]): Promise<SignedRevocationList> {
    const [invs, badges] = await Promise.all([invitations ?? this.deps.store.listInvitations(eventId), this.deps.badges.listBadges(eventId)]);
    const text = revocationListText(buildRevocationList(eventId, invs, badges, this.deps.clock.now()));
    return { text, signature: base64url(this.deps.signer.signDetached(revocationSignedBytes(text))) };
  }

  async doorPackage(eventId: string): Promise<DoorPackage> {
    const [event, invitations, scans] = await Promise.all([this.event(eventId), this.deps.store.listInvitations(eventId), this.deps.scans.list(eventId)]);
    return {
      event,
      publicKey: base64url(this.deps.signer.publicKeyRaw),
      people: invitations.flatMap(holdersOf),
      revocations: await this.revocations(eventId, invitations),
      arrivals: mergeArrivals(scans),
      at: this.deps.clock.now().toISOString(),
    };
  }

  /**
   * Records a device's scans. Every credential is verified again here (the device is not trusted
   * with who a scan names) before anything is written: one forged, other-event or unknown-session
   * scan refuses the whole upload. Each scan is written once under its id, so a retried upload
   * changes nothing and reports those scans as `already`.
   */
  async upload(eventId: string, request: UploadRequest, uploader: string): Promise<UploadResult> {
    const event = await this.event(eventId);
    const sessions = new Set(event.sessions.map((s) => s.id));
    const problems: Array<{ index: number; reason: string }> = [];
    const verified = request.scans.map((scan, index) => {
      let claims: CredentialClaims | undefined;
      try {
        claims = this.deps.verify(scan.token);
      } catch (err) {
        problems.push({ index, reason: (err as { reason?: string }).reason ?? 'invalid_credential' });
        return undefined;
      }
      if (claims.e !== eventId) problems.push({ index, reason: 'other_event' });
      else if (!sessions.has(scan.session)) problems.push({ index, reason: 'unknown_session' });
      return { scan, claims };
    });
    if (problems.length) throw new ScanRefusedError(problems);
    const uploadedAt = this.deps.clock.now().toISOString();
    const result: UploadResult = { recorded: [], already: [] };
    for (const v of verified) {
      const { scan, claims } = v!;
      const outcome = await this.deps.scans.put(eventId, {
        id: scan.id,
        session: scan.session,
        door: scan.door,
        device: scan.device,
        at: new Date(scan.at).toISOString(),
        verdict: scan.verdict,
        ...(scan.reason ? { reason: scan.reason } : {}),
        i: claims.i,
        h: claims.h,
        n: claims.n,
        uploadedBy: uploader,
        uploadedAt,
      });
      result[outcome].push(scan.id);
    }
    return result;
  }

  async arrivals(eventId: string): Promise<ArrivalsReport> {
    const [event, invitations, scans] = await Promise.all([this.event(eventId), this.deps.store.listInvitations(eventId), this.deps.scans.list(eventId)]);
    const people = new Map(invitations.flatMap(holdersOf).map((p) => [holderKey(p.i, p.h), p]));
    const merged = mergeArrivals(scans);
    const sessions = event.sessions.map((session): SessionArrivals => {
      const here = merged.filter((a) => a.session === session.id);
      const arrived = new Set(here.map((a) => holderKey(a.i, a.h)));
      const arrivals = here.map((a): ArrivalView => {
        const p = people.get(holderKey(a.i, a.h));
        return {
          i: a.i,
          h: a.h,
          name: p?.name ?? a.i,
          ...(p?.delegation ? { delegation: p.delegation } : {}),
          category: p?.category ?? '',
          ...(p?.organization ? { organization: p.organization } : {}),
          at: a.first.at,
          door: a.first.door,
          conflict: a.conflict,
          scans: a.scans.map((s) => ({ at: s.at, door: s.door, verdict: s.verdict })),
        };
      });
      const noShows = [...people.values()]
        .filter((p) => p.sessions.includes(session.id) && !arrived.has(holderKey(p.i, p.h)))
        .map(({ i, h, name, delegation, category, organization }) => ({ i, h, name, category, ...(delegation ? { delegation } : {}), ...(organization ? { organization } : {}) }))
        .sort((a, b) => a.name.localeCompare(b.name));
      return {
        id: session.id,
        arrivals,
        noShows,
        conflicts: arrivals.filter((a) => a.conflict).length,
        refused: new Set(scans.filter((s) => s.session === session.id && s.verdict === 'refuse').map((s) => s.id)).size,
      };
    });
    return { event, sessions, at: this.deps.clock.now().toISOString() };
  }

  /**
   * The check-in export: one row per person and session, arrived or not, with every door that
   * admitted them. With `language`, written for a reader of it (headers, session and category
   * names, arrival, venue time); without, the data format (ids, codes, UTC instants).
   */
  async csv(eventId: string, language?: Language): Promise<string> {
    const report = await this.arrivals(eventId);
    // The report's outline names the sessions and categories: no second read of the event.
    const words = language ? readableWords(report.event, language) : undefined;
    const columns = ['session', 'status', 'name', 'delegation', 'category', 'organization', 'firstScanAt', 'door', 'scans', 'conflict', 'doors'] as const;
    const session = (id: string) => (words ? words.session(id) : id);
    const category = (id: string) => (words ? words.category(id) : id);
    const arrival = (arrived: boolean) => (words ? words.arrival(arrived) : arrived ? 'arrived' : 'no-show');
    const yesNo = (value: boolean) => (words ? words.yesNo(value) : value ? 'yes' : 'no');
    const rows = report.sessions.flatMap((s) => [
      ...s.arrivals.map((a) => [
        session(s.id),
        arrival(true),
        a.name,
        a.delegation ?? '',
        category(a.category),
        a.organization ?? '',
        words ? words.time(a.at) : a.at,
        a.door,
        a.scans.length,
        yesNo(a.conflict),
        [...new Set(a.scans.map((x) => x.door))].join(' / '),
      ]),
      ...s.noShows.map((p) => [session(s.id), arrival(false), p.name, p.delegation ?? '', category(p.category), p.organization ?? '', '', '', 0, yesNo(false), '']),
    ]);
    return toCsv(words ? columns.map(words.header) : columns, rows);
  }
}
