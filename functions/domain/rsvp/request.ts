import * as z from '../zod.js';
import { SessionCancelledError, ValidationError, type FieldIssue } from '../errors.js';
import { toFieldIssues } from '../field-issues.js';
import { noteText, plainText } from '../text.js';
import { languageSchema, topicSchema, type EventDefinition, type Invitation } from '../model.js';
import type { EventRecord } from '../ports.js';
import { zonedLocalToUtc } from '../time.js';
import { accreditationSchema, companionsRequestSchema, delegationIssues } from '../delegation.js';

export const rsvpRequestSchema = z.strictObject({
  responses: z
    .array(z.strictObject({ sessionId: z.string().check(z.minLength(1), z.maxLength(64)), attending: z.boolean() }))
    .check(z.minLength(1, 'answer at least one session'), z.maxLength(50)),
  guests: z.optional(z.number().check(z.int('must be a whole number'), z.gte(0), z.lte(2))),
  dietary: z.optional(noteText(500)),
  accessibility: z.optional(noteText(500)),
  badgeName: z.optional(plainText(60)),
  /** Each topic once: a repeated topic is refused, not counted twice. */
  topics: z.optional(
    z.array(topicSchema).check(
      z.maxLength(50),
      z.refine((t: string[]) => new Set(t).size === t.length, 'each topic at most once'),
    ),
  ),
  accreditation: z.optional(accreditationSchema),
  /** The named guests, all of them: replaces the delegation (`guests` follows its size); absent keeps it. */
  companions: z.optional(companionsRequestSchema),
  /** The language the invitee answered in: later emails use it. */
  language: z.optional(languageSchema),
});
export type RsvpRequest = z.infer<typeof rsvpRequestSchema>;

export const parseRsvpRequest = (body: unknown): RsvpRequest => {
  const parsed = rsvpRequestSchema.safeParse(body);
  if (!parsed.success) throw new ValidationError(toFieldIssues(parsed.error));
  return parsed.data;
};

/** True while answers are accepted: the deadline is a local time in the event's timezone. */
export const isOpen = (event: EventDefinition, now: Date) => !event.rsvpClosed && now.getTime() <= zonedLocalToUtc(event.rsvpDeadline, event.timezone).getTime();

/** True while the invitee holds (confirmed or waitlisted) a session that requires accreditation. */
export const holdsAccreditedSession = (event: EventRecord, responses: Invitation['responses']) =>
  event.sessions.some((s) => s.requiresAccreditation && ['confirmed', 'waitlisted'].includes(responses[s.id]?.status ?? ''));

/** The responses as they would be if every answer in the request were granted (seats aside). */
const answeredResponses = (invitation: Invitation, request: RsvpRequest): Invitation['responses'] => {
  const responses = { ...invitation.responses };
  for (const r of request.responses)
    if (invitation.sessions.includes(r.sessionId)) responses[r.sessionId] = { status: r.attending ? 'confirmed' : 'declined', seats: 0, updatedAt: '' };
  return responses;
};

/**
 * What only the invitation and the event show about a request: sessions not invited or answered
 * twice, too many guests, a cancelled session, an unknown topic, accreditation missing or not wanted.
 */
export const validateAnswer = (invitation: Invitation, event: EventRecord, request: RsvpRequest) => {
  const issues: FieldIssue[] = [];
  const invited = new Set(invitation.sessions);
  const seen = new Set<string>();
  request.responses.forEach((r, i) => {
    if (!invited.has(r.sessionId)) issues.push({ field: `responses.${i}.sessionId`, message: `unknown session ${r.sessionId}` });
    if (seen.has(r.sessionId)) issues.push({ field: `responses.${i}.sessionId`, message: `${r.sessionId} answered twice` });
    seen.add(r.sessionId);
  });
  if (request.guests !== undefined && request.guests > invitation.guestsAllowed && !request.companions)
    issues.push({ field: 'guests', message: `at most ${invitation.guestsAllowed} guest(s) for this invitation` });
  const cancelled = request.responses.filter((r) => r.attending && event.sessions.find((s) => s.id === r.sessionId)?.cancelled).map((r) => r.sessionId);
  if (cancelled.length) throw new SessionCancelledError(cancelled);
  const known = new Set(event.definition.topics.map((t) => t.id));
  request.topics?.forEach((topic, i) => {
    if (!known.has(topic)) issues.push({ field: `topics.${i}`, message: `unknown topic ${topic}` });
  });
  const needsAccreditation = request.responses.some((r) => r.attending && event.sessions.find((s) => s.id === r.sessionId)?.requiresAccreditation);
  if (needsAccreditation && !request.accreditation && !invitation.hasAccreditation)
    issues.push({ field: 'accreditation', message: 'nationality and ID document number are required for the session with the President' });
  const holdsAccredited = holdsAccreditedSession(event, answeredResponses(invitation, request));
  if (request.accreditation && !holdsAccredited)
    issues.push({ field: 'accreditation', message: 'is only taken for a session that requires it (the session with the President), answered yes' });
  issues.push(...delegationIssues({ invitation, requested: request.companions, guests: request.guests, holdsAccredited, answersAccredited: needsAccreditation }));
  if (issues.length) throw new ValidationError(issues);
};
