/**
 * Badge storage and the short-lived links to it. Kept apart from rendering so a function that only
 * hands out links loads no PDF code.
 */
/** Where badge PDFs live; links are short-lived. */
export interface BadgeStorage {
  put(key: string, pdf: Uint8Array): Promise<void>;
  exists(key: string): Promise<boolean>;
  linkFor(key: string, filename: string, ttlSeconds: number): Promise<string>;
}

export interface BadgeRecord {
  fingerprint: string;
  key: string;
  status: 'RENDERING' | 'READY';
  version: number;
}

/** One record per invitee's badge; the fingerprint of what it prints guards against re-rendering. */
export interface BadgeLedger {
  /** Takes the right to render `fingerprint`; false when that very badge is ready or being rendered. */
  claim(eventId: string, invitationId: string, fingerprint: string, now: Date, leaseMs: number): Promise<boolean>;
  markReady(eventId: string, invitationId: string, record: Omit<BadgeRecord, 'status'>): Promise<void>;
  get(eventId: string, invitationId: string): Promise<BadgeRecord | undefined>;
}

/** A short-lived link to the current badge, or undefined while there is none. Needs no renderer. */
export const badgeLink = async (deps: { ledger: Pick<BadgeLedger, 'get'>; storage: Pick<BadgeStorage, 'linkFor'> }, eventId: string, invitationId: string, ttlSeconds = 300) => {
  const badge = await deps.ledger.get(eventId, invitationId);
  if (badge?.status !== 'READY') return undefined;
  return deps.storage.linkFor(badge.key, `badge-${invitationId}.pdf`, ttlSeconds);
};
