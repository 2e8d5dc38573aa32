import type { SessionRequest, SessionResponse } from '#domain/organizer-api.js';
import type { SupportedChallenge } from '#domain/sign-in.js';
import { postSession, type ApiSession } from './api.js';
import { byId, setError, show } from './dom.js';
import { t } from './messages.js';

/** The sign-in token, kept for this tab only (sessionStorage), never in a cookie. */
interface StoredSession {
  idToken: string;
  expiresAt: number;
  username: string;
}

const STORE_KEY = 'cumbre.admin.session';

const load = (): StoredSession | undefined => {
  try {
    const s = JSON.parse(sessionStorage.getItem(STORE_KEY) ?? 'null') as StoredSession | null;
    return s && s.expiresAt > Date.now() ? s : undefined;
  } catch {
    return undefined;
  }
};

export interface SessionHooks {
  /** Signed in (or still signed in on load): draw the dashboard. */
  start(username: string): void;
  /** Signed out or expired: stop refreshing. */
  stop(): void;
}

type Step = 'credentials' | SupportedChallenge | 'MFA_SETUP';
type Challenge = { name: SupportedChallenge | 'MFA_SETUP'; session: string };

const field = (id: string) => byId<HTMLInputElement>(id);

const showStep = (step: Step) => {
  show(byId('signin-credentials'), step === 'credentials');
  show(byId('signin-mfa'), step === 'SOFTWARE_TOKEN_MFA');
  show(byId('signin-mfa-setup'), step === 'MFA_SETUP');
  show(byId('signin-new-password'), step === 'NEW_PASSWORD_REQUIRED');
};

/** The password, or the answer to the challenge the last attempt brought back. */
const sessionRequest = (username: string, challenge: Challenge | undefined): SessionRequest =>
  !challenge
    ? { username, password: field('password').value }
    : challenge.name === 'SOFTWARE_TOKEN_MFA'
      ? { username, challenge: challenge.name, session: challenge.session, code: field('mfa-code').value.trim() }
      : challenge.name === 'MFA_SETUP'
        ? { username, challenge: challenge.name, session: challenge.session, code: field('mfa-setup-code').value.trim() }
        : { username, challenge: challenge.name, session: challenge.session, newPassword: field('new-password').value };

const refusal = (status: number) =>
  status === 401
    ? t('invalidCredentials')
    : status === 429
      ? t('error.signInThrottled')
      : status === 403
        ? t('error.signInNotPossible')
        : t('failed', { message: t('error.server') });

/** TOTP is set up: the next sign-in asks for a code from the app. */
const showEnrolled = (error: HTMLElement) => {
  showStep('credentials');
  field('password').value = '';
  setError(error, t('mfaEnrolled'));
  field('password').focus();
};

/** The step a challenge asks for (with the secret to enrol, for MFA_SETUP), its input focused. */
const showChallenge = (data: Extract<SessionResponse, { challenge: string }>, button: HTMLButtonElement) => {
  if (data.challenge === 'MFA_SETUP') {
    byId('mfa-secret').textContent = data.secretCode;
    byId<HTMLAnchorElement>('mfa-uri').href = data.otpauthUri;
  }
  showStep(data.challenge);
  button.textContent = t('continue');
  field(data.challenge === 'SOFTWARE_TOKEN_MFA' ? 'mfa-code' : data.challenge === 'MFA_SETUP' ? 'mfa-setup-code' : 'new-password').focus();
};

/**
 * The sign-in form (password, then a TOTP code or a new password when Cognito asks) and the
 * session it yields. The shell ships the submit button disabled so that, without this script,
 * nothing is submitted (a plain form would send the password in a GET's URL).
 */
export const setUpSession = (hooks: SessionHooks): ApiSession & { signOut(message: string): void; resume(): void } => {
  let session = load();
  let challenge: Challenge | undefined;
  const form = byId<HTMLFormElement>('signin-form');
  const button = byId<HTMLButtonElement>('signin-submit');
  const error = byId('signin-error');

  const signOut = (message: string) => {
    session = undefined;
    // Back to the first step: a sign-in that went through a challenge left its step showing.
    challenge = undefined;
    showStep('credentials');
    sessionStorage.removeItem(STORE_KEY);
    hooks.stop();
    show(byId('app'), false);
    show(byId('signin'), true);
    setError(error, message);
    field('password').value = '';
    field('username').focus();
  };

  const begin = () => {
    if (!session) return;
    show(byId('signin'), false);
    show(byId('app'), true);
    hooks.start(session.username);
  };

  const signedIn = (data: Extract<SessionResponse, { idToken: string }>, username: string) => {
    setError(error, '');
    session = { idToken: data.idToken, expiresAt: Date.now() + (data.expiresIn || 3600) * 1000 - 30_000, username };
    sessionStorage.setItem(STORE_KEY, JSON.stringify(session));
    begin();
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const username = field('username').value.trim();
    const body = sessionRequest(username, challenge);
    button.disabled = true;
    button.textContent = t('signingIn');
    postSession(body)
      .then((r) => {
        if (!r.ok) {
          challenge = undefined;
          showStep('credentials');
          setError(error, refusal(r.status));
        } else if ('idToken' in r.data) {
          challenge = undefined;
          signedIn(r.data, username);
        } else if ('enrolled' in r.data) {
          challenge = undefined;
          showEnrolled(error);
        } else {
          challenge = { name: r.data.challenge, session: r.data.session };
          showChallenge(r.data, button);
        }
      })
      .catch(() => setError(error, t('failed', { message: t('error.network') })))
      .finally(() => {
        button.disabled = false;
        if (!challenge) button.textContent = t('signIn');
      });
  });
  button.disabled = false;
  byId('signout').addEventListener('click', () => signOut(''));

  return {
    /** Picks up a session this tab still holds, or shows the sign-in form. */
    resume: () => (session ? begin() : show(byId('signin'), true)),
    token: () => (session && session.expiresAt > Date.now() ? session.idToken : undefined),
    expired: () => signOut(t('sessionExpired')),
    signOut,
  };
};
