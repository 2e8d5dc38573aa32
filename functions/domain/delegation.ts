import * as z from './zod.js';
import { countryCodeSchema } from './countries.js';
import type { FieldIssue } from './errors.js';
import { companionRoleSchema, languageSchema, type Accreditation, type Companion, type Invitation, type Revocation } from './model.js';
import { plainText, requiredText } from './text.js';

/**
 * Delegations: the guests an invitee brings, each named, with a role and a badge language. Every
 * companion is a credential holder of their own (`c1`, `c2`, … per invitation, never reused; the
 * invitee is holder `''`), so removing one revokes exactly their badge.
 */

/** The invitee's own holder id in credentials and revocations. */
export const INVITEE_HOLDER = '';
/** Every holder of the invitation (a revoked invitation). */
export const EVERY_HOLDER = '*';
/** `below` for a holder revoked outright. */
export const REVOKED_OUTRIGHT = Number.MAX_SAFE_INTEGER;
/** A companion's holder id: `c` and a number from 1. */
export const COMPANION_HOLDER = /^c[1-9]\d{0,5}$/;

export const holderIdFor = (n: number) => `c${n}`;

/** Nationality and ID document: the invitee's and each companion's, for a session that requires accreditation. */
export const accreditationSchema = z.strictObject({
  nationality: countryCodeSchema('must be an ISO 3166-1 alpha-2 code'),
  idDocumentNumber: z.pipe(plainText(40), z.string().check(z.regex(/^[A-Za-z0-9 -]{4,40}$/, 'must be 4–40 letters, digits, spaces or dashes'))),
});

/** One companion as the invitee sends them: `id` names one already on the invitation; without it, a new one. */
export const companionRequestSchema = z.strictObject({
  id: z.optional(z.string().check(z.regex(COMPANION_HOLDER, 'must be the id of one of your companions (c1, c2, …)'))),
  name: requiredText(100),
  role: companionRoleSchema,
  language: languageSchema,
  accreditation: z.optional(accreditationSchema),
});
export type CompanionRequest = z.infer<typeof companionRequestSchema>;

/** The whole delegation as it stands after the answer: `companions` replaces the list, absent keeps it. */
export const companionsRequestSchema = z.array(companionRequestSchema).check(z.maxLength(20));

export interface DelegationInput {
  invitation: Invitation;
  /** The request's `companions`, when sent. */
  requested?: CompanionRequest[];
  /** The request's `guests`, when sent. */
  guests?: number;
  /** After the answer, the invitee still holds (confirmed or waitlisted) a session that requires accreditation. */
  holdsAccredited: boolean;
  /** The answer says yes to a session that requires accreditation. */
  answersAccredited: boolean;
  /** The accreditation session's name, for messages. */
  sessionLabel?: string;
}

const sameName = (a: string, b: string) => a.normalize('NFC') === b.normalize('NFC');

/** Refusals of the delegation part of an answer, each naming its field (`companions.<i>.<field>`, `guests`). */
export const delegationIssues = ({ invitation, requested, guests, holdsAccredited, answersAccredited }: DelegationInput): FieldIssue[] => {
  const issues: FieldIssue[] = [];
  const current = invitation.companions ?? [];
  const byId = new Map(current.map((c) => [c.id, c]));
  if (requested) {
    if (requested.length > invitation.guestsAllowed)
      issues.push({ field: 'companions', message: `at most ${invitation.guestsAllowed} companion(s) for this invitation, got ${requested.length}` });
    if (guests !== undefined && guests !== requested.length)
      issues.push({ field: 'guests', message: `must equal the number of companions (${requested.length}) when both are sent` });
    const seen = new Set<string>();
    requested.forEach((c, i) => {
      if (c.id !== undefined) {
        if (!byId.has(c.id)) issues.push({ field: `companions.${i}.id`, message: `${c.id} is not one of this invitation's companions; leave id out for a new one` });
        else if (seen.has(c.id)) issues.push({ field: `companions.${i}.id`, message: `${c.id} appears twice` });
        seen.add(c.id);
      }
      const before = c.id ? byId.get(c.id) : undefined;
      const onFile = before !== undefined && before.hasAccreditation && sameName(before.name, c.name);
      if (c.accreditation && !holdsAccredited)
        issues.push({ field: `companions.${i}.accreditation`, message: 'is only taken for a session that requires it (the session with the President), answered yes' });
      // A new or renamed companion gives their own; everyone does when the answer takes up the session.
      if (holdsAccredited && !c.accreditation && !onFile && (answersAccredited || !before || !sameName(before.name, c.name)))
        issues.push({ field: `companions.${i}.accreditation`, message: 'nationality and ID document number are required for each companion at the session with the President' });
    });
  } else {
    if (guests !== undefined && guests < current.length)
      issues.push({ field: 'guests', message: `${current.length} companion(s) are named: remove them by sending companions without them` });
    if (answersAccredited)
      current.forEach((c, i) => {
        if (!c.hasAccreditation)
          issues.push({ field: `companions.${i}.accreditation`, message: 'nationality and ID document number are required for each companion at the session with the President' });
      });
  }
  // A guest without a name cannot be accredited, so cannot enter the President's session.
  const people = requested ? requested.length : Math.max(guests ?? invitation.guests, 0);
  const named = requested ? requested.length : current.length;
  if (holdsAccredited && people > named && (answersAccredited || guests !== undefined))
    issues.push({ field: 'companions', message: 'every guest at the session with the President must be named, with nationality and ID document: send companions' });
  return issues;
};

export interface DelegationPlan {
  companions: Companion[];
  holderSeq: number;
  revocations: Revocation[];
  /** Accreditation records to write, per companion holder. */
  accreditations: Array<{ holder: string; accreditation: Accreditation }>;
  /** Companion holders whose accreditation record goes. */
  removeAccreditations: string[];
  /** Holders removed from the delegation in this answer. */
  removed: string[];
  changed: boolean;
}

/** Adds `{ holder, below }`, keeping one entry per holder with the highest bound. */
export const revoke = (revocations: Revocation[], holder: string, below: number): Revocation[] => {
  const existing = revocations.find((r) => r.holder === holder);
  if (existing && existing.below >= below) return revocations;
  return [...revocations.filter((r) => r.holder !== holder), { holder, below }];
};

/**
 * The delegation after an answer already judged by `delegationIssues`. `version` is the invitation's
 * version being written: a renamed companion's earlier badges (printed from lower versions) are
 * revoked, a removed companion's are revoked outright, and accreditation follows the person — a
 * renamed companion's record goes unless a new one comes with the answer.
 */
export const planDelegation = (invitation: Invitation, requested: CompanionRequest[] | undefined, holdsAccredited: boolean, version: number): DelegationPlan => {
  const current = invitation.companions ?? [];
  let holderSeq = invitation.holderSeq ?? 0;
  let revocations = invitation.revocations ?? [];
  const accreditations: DelegationPlan['accreditations'] = [];
  const removeAccreditations: string[] = [];
  const removed: string[] = [];
  let companions: Companion[];
  if (!requested) companions = current.map((c) => ({ ...c }));
  else {
    const byId = new Map(current.map((c) => [c.id, c]));
    companions = requested.map((r) => {
      const before = r.id ? byId.get(r.id) : undefined;
      const id = before?.id ?? holderIdFor(++holderSeq);
      const renamed = before !== undefined && !sameName(before.name, r.name);
      if (renamed) revocations = revoke(revocations, id, version);
      if (r.accreditation) accreditations.push({ holder: id, accreditation: { ...r.accreditation } });
      else if (renamed && before.hasAccreditation) removeAccreditations.push(id);
      return { id, name: r.name, role: r.role, language: r.language, hasAccreditation: r.accreditation !== undefined || (Boolean(before?.hasAccreditation) && !renamed) };
    });
    const kept = new Set(companions.map((c) => c.id));
    for (const c of current.filter((c) => !kept.has(c.id))) {
      removed.push(c.id);
      revocations = revoke(revocations, c.id, REVOKED_OUTRIGHT);
      if (c.hasAccreditation) removeAccreditations.push(c.id);
    }
  }
  // Nationality and ID documents are kept only while a session that needs them is held.
  if (!holdsAccredited)
    for (const c of companions)
      if (c.hasAccreditation) {
        c.hasAccreditation = false;
        if (!removeAccreditations.includes(c.id) && !accreditations.some((a) => a.holder === c.id)) removeAccreditations.push(c.id);
      }
  const kept = holdsAccredited ? accreditations : [];
  const changed = JSON.stringify(companions) !== JSON.stringify(current) || kept.length > 0;
  return { companions, holderSeq, revocations, accreditations: kept, removeAccreditations, removed, changed };
};

/** "c2" → 2; anything else 0. */
export const holderNumber = (holder: string) => (COMPANION_HOLDER.test(holder) ? Number(holder.slice(1)) : 0);
