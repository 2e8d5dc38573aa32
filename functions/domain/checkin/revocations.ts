/**
 * The door's signed revocation list: which badge credentials no longer admit anyone, though their
 * signature is still good. Pure (no Node imports): the check-in page reads the same module.
 *
 * Sources (the contract between the door, the invitations and the delegations work):
 * - `Invitation.revocations`: `{ holder, below }` appended in the same transaction as a removed
 *   companion or a revoked/replaced invitation: every credential of `holder` (`'*'`: every holder)
 *   whose version `n < below` is void; `below: Number.MAX_SAFE_INTEGER` revokes outright;
 * - superseded badges: once a holder's badge is re-rendered from version `v`, every credential of
 *   that holder printed from a version below `v` is void (the badge ledger keeps `v`);
 * - an invitation whose status is `revoked` voids every holder outright, whatever else it says.
 */

export interface Revocation {
  /** Invitation id. */
  i: string;
  /** Holder id, or `*` for every holder of the invitation. */
  h: string;
  /** Credentials with `n < below` are void. */
  below: number;
}

export interface RevocationList {
  v: 1;
  /** Event id: a list of another event revokes nothing here. */
  e: string;
  /** When the list was made (ISO 8601): the page shows how old its copy is. */
  at: string;
  entries: Revocation[];
}

/** What the list is built from: the invitation fields of the shared contract, read structurally. */
export interface RevocableInvitation {
  id: string;
  status: string;
  revocations?: Array<{ holder: string; below: number }>;
}

/** A holder's current badge in the ledger: the version it was printed from. */
export interface CurrentBadge {
  invitationId: string;
  holder: string;
  version: number;
}

export const REVOKED_OUTRIGHT = Number.MAX_SAFE_INTEGER;
/** What the signature covers before the list's JSON text, so no other document signed with the badge key passes for a list. */
export const REVOCATION_SIGNING_PREFIX = 'CUMBRE-REVOCATIONS-1\n';

/** Keeps, per invitation and holder, only the strongest entry; sorted so one state gives one text. */
export const buildRevocationList = (eventId: string, invitations: RevocableInvitation[], badges: CurrentBadge[], at: Date): RevocationList => {
  const strongest = new Map<string, Revocation>();
  const add = (i: string, h: string, below: number) => {
    if (!Number.isSafeInteger(below) || below <= 0) return;
    const key = `${i}\u0000${h}`;
    const seen = strongest.get(key);
    if (!seen || seen.below < below) strongest.set(key, { i, h, below });
  };
  for (const inv of invitations) {
    for (const r of inv.revocations ?? []) add(inv.id, r.holder, r.below);
    if (inv.status === 'revoked') add(inv.id, '*', REVOKED_OUTRIGHT);
  }
  for (const b of badges) add(b.invitationId, b.holder, b.version);
  const entries = [...strongest.values()].sort((a, b) => (a.i < b.i ? -1 : a.i > b.i ? 1 : a.h < b.h ? -1 : a.h > b.h ? 1 : 0));
  return { v: 1, e: eventId, at: at.toISOString(), entries };
};

/** The exact text that is signed and shipped; the page verifies these bytes before it parses them. */
export const revocationListText = (list: RevocationList) =>
  JSON.stringify({ v: list.v, e: list.e, at: list.at, entries: list.entries.map(({ i, h, below }) => ({ i, h, below })) });

export const revocationSignedBytes = (text: string) => new TextEncoder().encode(REVOCATION_SIGNING_PREFIX + text);

/** What travels: the list's text and an Ed25519 signature (base64url) of the prefix and that text. */
export interface SignedRevocationList {
  text: string;
  signature: string;
}

/** Whether a credential of holder `h`, printed from version `n` of invitation `i`, is void. */
export const isRevoked = (entries: readonly Revocation[], claims: { i: string; h: string; n: number }) =>
  entries.some((r) => r.i === claims.i && (r.h === claims.h || r.h === '*') && claims.n < r.below);

/** Parses a list's text (after its signature was checked) and refuses anything but a list of `eventId`. */
export const parseRevocationList = (text: string, eventId: string): RevocationList => {
  const value = JSON.parse(text) as Partial<RevocationList>;
  const entries = value.entries;
  if (
    value.v !== 1 ||
    value.e !== eventId ||
    typeof value.at !== 'string' ||
    !Array.isArray(entries) ||
    !entries.every((r) => typeof r?.i === 'string' && typeof r.h === 'string' && Number.isSafeInteger(r.below))
  ) {
    throw new Error('not a revocation list of this event');
  }
  return value as RevocationList;
};
