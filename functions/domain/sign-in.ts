import * as z from './zod.js';
import { WITHHELD_CLAIM } from './access/mfa-gate.js';
import { grantsOf, groupsClaim, MFA_ROLES } from './access/roles.js';
import { DomainError } from './errors.js';

/**
 * Organizer sign-in for the dashboard. The dashboard posts a username and password here instead of
 * talking to Cognito itself, so the page needs no Cognito endpoint in its CSP and works the same
 * against the local cloud's pool. Only the ID token goes back (no refresh token): a stolen tab
 * holds at most an hour of access.
 */
export type SignInOutcome =
  | { idToken: string; expiresIn: number }
  | { challenge: SupportedChallenge; session: string }
  /** The account must enrol an authenticator app first: the secret to add, then a code from it. */
  | { challenge: 'MFA_SETUP'; session: string; secretCode: string; otpauthUri: string }
  | { enrolled: true };

/** What the identity provider answers: tokens (and whether a TOTP code was part of getting them), or a challenge. */
export type AuthOutcome = { idToken: string; expiresIn: number; accessToken?: string; viaMfa?: boolean } | { challenge: SupportedChallenge; session: string };

export const SUPPORTED_CHALLENGES = ['SOFTWARE_TOKEN_MFA', 'NEW_PASSWORD_REQUIRED'] as const;
export type SupportedChallenge = (typeof SUPPORTED_CHALLENGES)[number];

/** The identity provider, as the sign-in needs it. */
export interface OrganizerAuthenticator {
  signIn(username: string, password: string): Promise<AuthOutcome>;
  /** Answers a challenge `signIn` returned: a TOTP code or the new password a first sign-in asks for. */
  answer(challenge: SupportedChallenge, username: string, session: string, answer: string): Promise<AuthOutcome>;
  /** TOTP enrolment with the account's access token: a new secret, then a first code, then TOTP preferred. */
  associateTotp?(accessToken: string): Promise<string>;
  verifyTotp?(accessToken: string, code: string): Promise<void>;
}

const username = z.string().check(z.trim(), z.minLength(1, 'is required'), z.maxLength(128));
const session = z.string().check(z.minLength(1), z.maxLength(4096));
const passwordRequest = z.strictObject({ username, password: z.string().check(z.minLength(1, 'is required'), z.maxLength(256)) });
const mfaRequest = z.strictObject({ username, challenge: z.literal('SOFTWARE_TOKEN_MFA'), session, code: z.string().check(z.regex(/^\d{6}$/, 'must be 6 digits')) });
const newPasswordRequest = z.strictObject({
  username,
  challenge: z.literal('NEW_PASSWORD_REQUIRED'),
  session,
  newPassword: z.string().check(z.minLength(12, 'at least 12 characters'), z.maxLength(256)),
});
const mfaSetupRequest = z.strictObject({
  username,
  challenge: z.literal('MFA_SETUP'),
  session: z.string().check(z.minLength(1), z.maxLength(8192)),
  code: z.string().check(z.regex(/^\d{6}$/, 'must be 6 digits')),
});
export const signInRequestSchema = z.union([passwordRequest, mfaRequest, newPasswordRequest, mfaSetupRequest]);

/** The schema a body is judged by: picked by its `challenge`, so errors name the fields that failed. */
export const signInSchemaFor = (body: unknown) => {
  const challenge = typeof body === 'object' && body !== null ? (body as { challenge?: unknown }).challenge : undefined;
  return challenge === 'SOFTWARE_TOKEN_MFA' ? mfaRequest : challenge === 'MFA_SETUP' ? mfaSetupRequest : challenge === undefined ? passwordRequest : newPasswordRequest;
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

/** The enrolment step is valid this long: time to open an authenticator app and type a code. */
const ENROLMENT_MS = 10 * 60 * 1000;

/**
 * Groups from an ID token Cognito just issued to us (read, not verified: it never left our hands),
 * with those the pool's trigger withheld for want of TOTP (`withheld_groups`): they still call for enrolment.
 */
const groupsIn = (idToken: string): string[] => {
  try {
    const claims = jwtPayload(idToken);
    return [...groupsClaim(claims['cognito:groups']), ...groupsClaim(claims[WITHHELD_CLAIM])];
  } catch {
    return [];
  }
};

/**
 * Seals state the browser carries between two steps but never reads (access/seal.ts implements it
 * with AES-GCM). A port, not the adapter's type: the dashboard's browser build type-checks this file.
 */
export interface Sealer {
  seal(value: unknown, expiresAt: number): string;
  open<T>(sealed: string, now: number): T | undefined;
}

/** A JWT's payload segment, decoded with what both Node and browsers have (no Buffer). */
const jwtPayload = (token: string): Record<string, unknown> => {
  const b64 = (token.split('.')[1] ?? '').replace(/-/g, '+').replace(/_/g, '/');
  const bytes = Uint8Array.from(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
  return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
};

export interface SignInOptions {
  /** Seals the access token the browser carries between the two enrolment steps. */
  sealer?: Sealer;
  now?: () => number;
}

/**
 * Signs an organizer in. `admin` and `security` (in any event) get a token only through a TOTP
 * code: an account holding either role that signed in without one is walked through enrolment
 * (`MFA_SETUP`: a secret to add to an authenticator app, then a code from it) and signs in again.
 */
export const signIn = async (auth: OrganizerAuthenticator, request: SignInRequest, options: SignInOptions = {}): Promise<SignInOutcome> => {
  const now = options.now ?? Date.now;
  if ('challenge' in request && request.challenge === 'MFA_SETUP') {
    const held = options.sealer?.open<{ accessToken: string; username: string }>(request.session, now());
    if (!held || held.username !== request.username || !auth.verifyTotp) throw new SignInRefusedError();
    await auth.verifyTotp(held.accessToken, request.code);
    return { enrolled: true };
  }
  const outcome =
    'password' in request
      ? await auth.signIn(request.username, request.password)
      : await auth.answer(request.challenge, request.username, request.session, 'code' in request ? request.code : request.newPassword);
  if (!('idToken' in outcome)) return outcome;
  const needsMfa = grantsOf(groupsIn(outcome.idToken)).some((g) => MFA_ROLES.includes(g.role));
  if (needsMfa && !outcome.viaMfa) {
    if (!outcome.accessToken || !auth.associateTotp || !options.sealer) throw new SignInNotPossibleError('this role requires an authenticator app and enrolment is not available');
    const secretCode = await auth.associateTotp(outcome.accessToken);
    const label = encodeURIComponent(`Cumbre:${request.username}`);
    return {
      challenge: 'MFA_SETUP',
      session: options.sealer.seal({ accessToken: outcome.accessToken, username: request.username }, now() + ENROLMENT_MS),
      secretCode,
      otpauthUri: `otpauth://totp/${label}?secret=${secretCode}&issuer=Cumbre`,
    };
  }
  return { idToken: outcome.idToken, expiresIn: outcome.expiresIn };
};
