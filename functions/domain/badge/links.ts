/**
 * Badge storage and the short-lived links to it. Kept apart from rendering so a function that only
 * hands out links loads no PDF code.
 */
import { fileNameOf } from '../file-names.js';

/** Where badge PDFs live; links are short-lived. */
export interface BadgeStorage {
  put(key: string, pdf: Uint8Array): Promise<void>;
  exists(key: string): Promise<boolean>;
  linkFor(key: string, filename: string, ttlSeconds: number): Promise<string>;
  /** Deletes a badge that must no longer be served (a removed companion's); nothing when absent. */
  delete(key: string): Promise<void>;
}

export interface BadgeRecord {
  fingerprint: string;
  key: string;
  status: 'RENDERING' | 'READY';
  version: number;
  /**
   * What it was printed from: the invitation's version plus the event definition's (both only grow;
   * the calendar's SEQUENCE too). Two workers can render one holder's badge from two reads at once;
   * a render is marked ready only over one from no later revision, so the older never lands last.
   */
  revision?: number;
  /** The download's name, as people read it ("Ana López – Cumbre de Alcaldes.pdf"). */
  filename?: string;
}

/** A PDF named after the person and the event (or whatever `parts` name): "María López – Cumbre de Alcaldes de América del Norte.pdf". */
export const downloadName = (...parts: Array<string | undefined>) => fileNameOf(parts, 'pdf');

/** Letters that no Unicode decomposition takes to ASCII. */
const LATIN: Record<string, string> = { Ł: 'L', ł: 'l', Æ: 'AE', æ: 'ae', Ø: 'O', ø: 'o', ß: 'ss', Œ: 'OE', œ: 'oe', Đ: 'D', đ: 'd', Þ: 'Th', þ: 'th', ı: 'i' };

/** The same name in ASCII, for old clients and for S3 keys: accents dropped, the rest dashed. */
export const asciiName = (filename: string) =>
  filename
    .replace(/[ŁłÆæØøßŒœĐđÞþı]/g, (c) => LATIN[c])
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^-+|-+(?=\.pdf$)/g, '') || 'download.pdf';

/**
 * `Content-Disposition` per RFC 6266: an ASCII `filename` for old clients and the real name as
 * RFC 8187 `filename*=UTF-8''…`, which every current browser prefers.
 */
export const contentDisposition = (filename: string, type: 'inline' | 'attachment' = 'inline') =>
  `${type}; filename="${asciiName(filename)}"; filename*=UTF-8''${encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;

/**
 * One record per badge holder (the invitee, `holder` empty, and each named companion); the
 * fingerprint of what it prints guards against re-rendering. A removed companion's record is
 * marked removed for good (holder ids are never reused): it is neither served nor rendered again.
 */
export interface BadgeLedger {
  /** Takes the right to render `fingerprint`; false when that very badge is ready or being rendered, or the holder was removed. */
  claim(eventId: string, invitationId: string, fingerprint: string, now: Date, leaseMs: number, holder?: string): Promise<boolean>;
  /** Records the rendered badge; false when the holder was removed meanwhile, or a badge of a later revision is ready (the caller deletes what it wrote). */
  markReady(eventId: string, invitationId: string, record: Omit<BadgeRecord, 'status'>, holder?: string): Promise<boolean | void>;
  /**
   * Takes the right to render `fingerprint` again although the ledger calls it ready: its file is
   * gone. False while another worker renders it (a live lease), once something else is current, or the holder was removed.
   */
  claimLost(eventId: string, invitationId: string, fingerprint: string, now: Date, leaseMs: number, holder?: string): Promise<boolean>;
  get(eventId: string, invitationId: string, holder?: string): Promise<BadgeRecord | undefined>;
  /** Stops serving a removed companion's badge, for good. */
  remove(eventId: string, invitationId: string, holder: string, now: Date): Promise<void>;
}

/** A short-lived link to the holder's current badge, or undefined while there is none. Needs no renderer. */
export const badgeLink = async (
  deps: { ledger: Pick<BadgeLedger, 'get'>; storage: Pick<BadgeStorage, 'linkFor'> },
  eventId: string,
  invitationId: string,
  ttlSeconds = 300,
  holder = '',
) => {
  const badge = await deps.ledger.get(eventId, invitationId, holder);
  if (badge?.status !== 'READY') return undefined;
  return deps.storage.linkFor(badge.key, badge.filename ?? badge.key.split('/').at(-1)!, ttlSeconds);
};

/** Asks the badge worker to render an invitee's badge again (its file is gone). */
export interface BadgeRenderRequests {
  request(eventId: string, invitationId: string): Promise<void>;
}

/**
 * Like `badgeLink`, but a badge the ledger calls ready whose file is missing from storage (lost by
 * an emulator, deleted by hand, a bucket restored from an old copy) is not linked — a link to it
 * would answer 404 forever: the badge worker is asked to render it again, and the caller hears
 * "not ready" (undefined) until it has.
 */
export const badgeLinkOrRepair = async (
  deps: { ledger: Pick<BadgeLedger, 'get'>; storage: Pick<BadgeStorage, 'linkFor' | 'exists'>; renders: BadgeRenderRequests },
  eventId: string,
  invitationId: string,
  ttlSeconds = 300,
  holder = '',
): Promise<{ url: string } | { missing: boolean }> => {
  const badge = await deps.ledger.get(eventId, invitationId, holder);
  if (badge?.status !== 'READY') return { missing: false };
  if (!(await deps.storage.exists(badge.key))) {
    await deps.renders.request(eventId, invitationId);
    return { missing: true };
  }
  return { url: await deps.storage.linkFor(badge.key, badge.filename ?? badge.key.split('/').at(-1)!, ttlSeconds) };
};

/** What a render request says on the badge queue: an `invitation.updated` that only the badge worker hears. */
export const BADGE_FILE_MISSING = 'badge-file-missing';
