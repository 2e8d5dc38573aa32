import * as z from 'zod';
import { DomainError } from './errors.js';

/**
 * Organizer sign-in for the dashboard. The dashboard posts a username and password here instead of
 * talking to Cognito itself, so the page needs no Cognito endpoint in its CSP and works the same
 * against the local cloud's pool. Only the ID token goes back (no refresh token): a stolen tab
 * holds at most an hour of access.
 */
export type SignInOutcome =
  | { idToken: string; expiresIn: number }
  | { challenge: SupportedChallenge; session: string };

export const SUPPORTED_CHALLENGES = ['SOFTWARE_TOKEN_MFA', 'NEW_PASSWORD_REQUIRED'] as const;
export type SupportedChallenge = (typeof SUPPORTED_CHALLENGES)[number];

/** The identity provider, as the sign-in needs it. */
export interface OrganizerAuthenticator {
  signIn(username: string, password: string): Promise<SignInOutcome>;
  /** Answers a challenge `signIn` returned: a TOTP code or the new password a first sign-in asks for. */
  answer(challenge: SupportedChallenge, username: string, session: string, answer: string): Promise<SignInOutcome>;
}

const username = z.string().trim().min(1, 'is required').max(128);
const session = z.string().min(1).max(4096);
const passwordRequest = z.strictObject({ username, password: z.string().min(1, 'is required').max(256) });
const mfaRequest = z.strictObject({ username, challenge: z.literal('SOFTWARE_TOKEN_MFA'), session, code: z.string().regex(/^\d{6}$/, 'must be 6 digits') });
const newPasswordRequest = z.strictObject({ username, challenge: z.literal('NEW_PASSWORD_REQUIRED'), session, newPassword: z.string().min(12, 'at least 12 characters').max(256) });
export const signInRequestSchema = z.union([passwordRequest, mfaRequest, newPasswordRequest]);

/** The schema a body is judged by: picked by its `challenge`, so errors name the fields that failed. */
export const signInSchemaFor = (body: unknown) => {
  const challenge = typeof body === 'object' && body !== null ? (body as { challenge?: unknown }).challenge : undefined;
  return challenge === 'SOFTWARE_TOKEN_MFA' ? mfaRequest : challenge === undefined ? passwordRequest : newPasswordRequest;
};
export type SignInRequest = z.infer<typeof signInRequestSchema>;

/** Wrong username, password or code. One message for all, so usernames cannot be probed. */
export class SignInRefusedError extends DomainError {
  readonly code = 'invalid_credentials';
  constructor() {
    super('Wrong username, password or code');
  }
}

/** The account needs something the dashboard does not do (a password reset, MFA enrolment). */
export class SignInNotPossibleError extends DomainError {
  readonly code = 'sign_in_not_possible';
  constructor(reason: string) {
    super(`This account cannot sign in here: ${reason}. Ask the organizers' administrator.`);
  }
}

export class SignInThrottledError extends DomainError {
  readonly code = 'too_many_attempts';
  constructor() {
    super('Too many sign-in attempts; wait a minute and try again');
  }
}

export const signIn = (auth: OrganizerAuthenticator, request: SignInRequest): Promise<SignInOutcome> =>
  'password' in request
    ? auth.signIn(request.username, request.password)
    : auth.answer(request.challenge, request.username, request.session, 'code' in request ? request.code : request.newPassword);
