import { createHash } from 'node:crypto';
import { COMPANION_HOLDER, REVOKED_OUTRIGHT } from '../delegation.js';
import type { Companion, Invitation, Language } from '../model.js';
import { badgeSheetWords } from '#i18n/badge-sheet.js';
import type { EventRecord } from '../ports.js';
import { formatLocalRange } from '../time.js';
import type { BadgeInput, BadgeDeps } from './render.js';
import { companionRoleLabel, renderBadge } from './render.js';
import { CREDENTIAL_PREFIX } from './credential-format.js';
import { renderPrintSheet } from './print-sheet.js';
import { asciiName, badgeLink, downloadName, type BadgeLedger, type BadgeStorage } from './links.js';

export type { BadgeLedger, BadgeRecord, BadgeStorage } from './links.js';
export { badgeLink, badgeLinkOrRepair, BADGE_FILE_MISSING, type BadgeRenderRequests } from './links.js';

export interface BadgeReader {
  getInvitation(eventId: string, invitationId: string): Promise<Invitation | undefined>;
  listInvitations(eventId: string): Promise<Invitation[]>;
  getEvent(eventId: string): Promise<EventRecord | undefined>;
}

export interface BadgeServiceDeps {
  reader: BadgeReader;
  ledger: BadgeLedger;
  storage: BadgeStorage;
  render: BadgeDeps;
  clock: { now(): Date };
  leaseMs: number;
}

const confirmedSessions = (inv: Invitation) => inv.sessions.filter((s) => inv.responses[s]?.status === 'confirmed');

/** The invitation's category as its event defines it; one the event no longer lists prints as a neutral grey band with its id. */
const categoryOf = (def: EventRecord['definition'], id: string) => def.categories.find((c) => c.id === id) ?? { id, name: { es: id, en: id, fr: id }, color: '#4d4f57' };

/** What a badge prints, in the invitee's language. */
export const badgeInputFor = (inv: Invitation, record: EventRecord): BadgeInput => {
  const def = record.definition;
  const confirmed = new Set(confirmedSessions(inv));
  const sessions = def.sessions.filter((s) => confirmed.has(s.id));
  const held = def.sessions.filter((s) => !s.cancelled);
  const first = (held.length ? held : def.sessions).map((s) => s.start).sort()[0];
  const last = (held.length ? held : def.sessions)
    .map((s) => s.end)
    .sort()
    .at(-1)!;
  return {
    eventId: def.id,
    invitationId: inv.id,
    version: inv.version,
    displayName: inv.badgeName || inv.name,
    title: inv.title,
    organization: inv.organization,
    country: inv.country,
    category: inv.category,
    categoryLabel: categoryOf(def, inv.category).name[inv.language],
    categoryColor: categoryOf(def, inv.category).color,
    eventName: def.name[inv.language],
    eventDates: formatLocalRange(first, last, def.timezone, inv.language, 'date'),
    venue: `${def.venue.name}, ${def.venue.city}`,
    sessions: sessions.map((s) => ({ id: s.id, label: s.name[inv.language] })),
    language: inv.language,
  };
};

/**
 * A companion's badge: their name, "Delegation of <invitee>" and their role under it, the invitee's
 * category band and sessions (the party is seated together), in the companion's language.
 */
export const companionBadgeInput = (inv: Invitation, companion: Companion, record: EventRecord): BadgeInput => {
  const base = badgeInputFor({ ...inv, language: companion.language }, record);
  return {
    ...base,
    holder: companion.id,
    displayName: companion.name,
    title: undefined,
    organization: undefined,
    delegationOf: inv.name,
    role: companionRoleLabel(companion.role, companion.language),
  };
};

/** Every badge of an invitation: the invitee's, then each named companion's. */
export const badgeInputsFor = (inv: Invitation, record: EventRecord): BadgeInput[] => [
  badgeInputFor(inv, record),
  ...(inv.companions ?? []).map((c) => companionBadgeInput(inv, c, record)),
];

/** Companions taken off the invitation: revoked outright, so their badge must not be served. */
export const removedHolders = (inv: Invitation) => (inv.revocations ?? []).filter((r) => r.below === REVOKED_OUTRIGHT && COMPANION_HOLDER.test(r.holder)).map((r) => r.holder);

/** What the print sheet holds: every confirmed invitee's badge by name, each followed by their companions'. */
export const sheetInputs = (invitations: Invitation[], record: EventRecord): BadgeInput[] =>
  invitations
    .filter((i) => confirmedSessions(i).length > 0)
    .map((i) => badgeInputsFor(i, record))
    .sort(([a], [b]) => a.displayName.localeCompare(b.displayName) || a.invitationId.localeCompare(b.invitationId))
    .flat();

export type BadgeOutcome = 'rendered' | 'restored' | 'unchanged' | 'no-badge' | 'removed';

/** Changes only when the printed badge would change (not for a new dietary note, say). */
export const badgeFingerprint = (input: BadgeInput) => {
  const { version: _v, ...printed } = input;
  // The credential's format is part of what is printed: a new format re-renders every badge once.
  return createHash('sha256').update(CREDENTIAL_PREFIX).update(JSON.stringify(printed)).digest('base64url').slice(0, 22);
};

export class BadgeService {
  constructor(private readonly deps: BadgeServiceDeps) {}

  /** Renders the invitee's badge if what it prints changed; nothing when nothing is confirmed. Companions' badges follow (see `refreshAll`). */
  async refresh(eventId: string, invitationId: string, options: { verifyStored?: boolean } = {}): Promise<'rendered' | 'restored' | 'unchanged' | 'no-badge'> {
    const outcomes = await this.refreshAll(eventId, invitationId, options);
    return outcomes[''] as 'rendered' | 'restored' | 'unchanged' | 'no-badge';
  }

  /**
   * Every badge of the invitation, by holder (`''` the invitee, `c1`… companions): each rendered if
   * what it prints changed, and each removed companion's badge deleted and no longer served.
   */
  async refreshAll(eventId: string, invitationId: string, options: { verifyStored?: boolean } = {}): Promise<Record<string, BadgeOutcome>> {
    const { reader, ledger, storage, clock } = this.deps;
    const [inv, record] = await Promise.all([reader.getInvitation(eventId, invitationId), reader.getEvent(eventId)]);
    if (!inv || !record) return { '': 'no-badge' };
    const outcomes: Record<string, BadgeOutcome> = {};
    for (const holder of removedHolders(inv)) {
      const badge = await ledger.get(eventId, invitationId, holder);
      if (badge) await storage.delete(badge.key);
      await ledger.remove(eventId, invitationId, holder, clock.now());
      outcomes[holder] = 'removed';
    }
    if (confirmedSessions(inv).length === 0) return { ...outcomes, '': 'no-badge' };
    const revision = inv.version + (record.definition.version ?? 0);
    for (const input of badgeInputsFor(inv, record)) outcomes[input.holder ?? ''] = await this.render(inv, revision, input, options);
    return outcomes;
  }

  /**
   * Renders one holder's badge if what it prints changed. With `verifyStored` (a badge link found
   * the file missing), an unchanged badge whose file is gone is rendered again (`restored`).
   */
  private async render(inv: Invitation, revision: number, input: BadgeInput, options: { verifyStored?: boolean }): Promise<'rendered' | 'restored' | 'unchanged'> {
    const { ledger, storage, clock } = this.deps;
    const { eventId, invitationId } = input;
    const holder = input.holder ?? '';
    const fingerprint = badgeFingerprint(input);
    let outcome: 'rendered' | 'restored' = 'rendered';
    if (!(await ledger.claim(eventId, invitationId, fingerprint, clock.now(), this.deps.leaseMs, holder))) {
      if (!options.verifyStored) return 'unchanged';
      const current = await ledger.get(eventId, invitationId, holder);
      if (current?.fingerprint !== fingerprint || (await storage.exists(current.key))) return 'unchanged';
      if (!(await ledger.claimLost(eventId, invitationId, fingerprint, clock.now(), this.deps.leaseMs, holder))) return 'unchanged';
      outcome = 'restored';
    }
    // Named after the person and the event; the key ends with the same name, for clients that go by the URL.
    const filename = downloadName(input.displayName, input.eventName);
    const key = `badges/${eventId}/${invitationId}/${holder ? `${holder}/` : ''}${fingerprint}/${asciiName(filename)}`;
    await storage.put(key, await renderBadge(input, this.deps.render));
    // A companion removed while this badge rendered, or a later change's badge ready first: what was written goes.
    if ((await ledger.markReady(eventId, invitationId, { fingerprint, key, version: inv.version, revision, filename }, holder)) === false) {
      await storage.delete(key);
      return 'unchanged';
    }
    return outcome;
  }

  link(eventId: string, invitationId: string, ttlSeconds = 300, holder = ''): Promise<string | undefined> {
    return badgeLink(this.deps, eventId, invitationId, ttlSeconds, holder);
  }

  /**
   * One print-ready PDF of every confirmed invitee's badge and their companions', sorted by name;
   * returns a short-lived link. Stored once per set of badges and paper; the download is named in
   * its reader's `language` (the event's first when none is given): "Cumbre de Alcaldes – gafetes – A4.pdf".
   */
  async printSheet(eventId: string, paper: 'A4' | 'Letter', language?: Language, ttlSeconds = 300): Promise<{ url: string; count: number } | undefined> {
    const record = await this.deps.reader.getEvent(eventId);
    if (!record) return undefined;
    const inputs = sheetInputs(await this.deps.reader.listInvitations(eventId), record);
    if (inputs.length === 0) return { url: '', count: 0 };
    const reader = language ?? record.definition.languages[0] ?? 'es';
    const filename = downloadName(record.definition.name[reader], badgeSheetWords[reader]['fileName.badgeSheet'], paper);
    const key = `sheets/${eventId}/${createHash('sha256').update(inputs.map(badgeFingerprint).join()).digest('base64url').slice(0, 22)}/${paper}.pdf`;
    if (!(await this.deps.storage.exists(key))) await this.deps.storage.put(key, await renderPrintSheet(inputs, paper, this.deps.render));
    return { url: await this.deps.storage.linkFor(key, filename, ttlSeconds), count: inputs.length };
  }
}
