import {
  AssociateSoftwareTokenCommand,
  InitiateAuthCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
  RespondToAuthChallengeCommand,
  type AuthenticationResultType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { ValidationError } from '#domain/errors.js';
import {
  SUPPORTED_CHALLENGES,
  SignInNotPossibleError,
  SignInRefusedError,
  SignInThrottledError,
  type OrganizerAuthenticator,
  type AuthOutcome,
  type SupportedChallenge,
} from '#domain/sign-in.js';

const outcome = (result: AuthenticationResultType | undefined, challenge: string | undefined, session: string | undefined, viaMfa = false): AuthOutcome => {
  if (result?.IdToken) return { idToken: result.IdToken, expiresIn: result.ExpiresIn ?? 3600, ...(result.AccessToken ? { accessToken: result.AccessToken } : {}), viaMfa };
  if (challenge && (SUPPORTED_CHALLENGES as readonly string[]).includes(challenge) && session) return { challenge: challenge as SupportedChallenge, session };
  throw new SignInNotPossibleError(challenge ? `the pool asks for ${challenge}` : 'no token was issued');
};

/**
 * Cognito's refusals as domain errors: the dashboard never sees an SDK type or message. An
 * InvalidPasswordException means a new password that breaks the pool's policy when answering
 * NEW_PASSWORD_REQUIRED; from InitiateAuth it is a wrong password (cognito-local answers so).
 */
const translate =
  (operation: 'signIn' | 'answer') =>
  (err: unknown): never => {
    const name = (err as { name?: string }).name ?? '';
    if (['NotAuthorizedException', 'UserNotFoundException', 'CodeMismatchException', 'ExpiredCodeException'].includes(name)) throw new SignInRefusedError();
    if (name === 'InvalidPasswordException' && operation === 'signIn') throw new SignInRefusedError();
    if (['TooManyRequestsException', 'LimitExceededException', 'TooManyFailedAttemptsException'].includes(name)) throw new SignInThrottledError();
    if (name === 'PasswordResetRequiredException') throw new SignInNotPossibleError('a password reset is required');
    if (name === 'UserNotConfirmedException') throw new SignInNotPossibleError('the account is not confirmed');
    if (name === 'InvalidPasswordException') throw new ValidationError([{ field: 'newPassword', message: (err as Error).message }]);
    throw err;
  };

/** USER_PASSWORD_AUTH against the organizers' app client (which has no secret). */
export const cognitoAuthenticator = (client: CognitoIdentityProviderClient, clientId: string): OrganizerAuthenticator => ({
  signIn: (username, password) =>
    client
      .send(new InitiateAuthCommand({ ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: username, PASSWORD: password } }))
      .then((r) => outcome(r.AuthenticationResult, r.ChallengeName, r.Session), translate('signIn')),
  answer: (challenge, username, session, answer) =>
    client
      .send(
        new RespondToAuthChallengeCommand({
          ClientId: clientId,
          ChallengeName: challenge,
          Session: session,
          ChallengeResponses: { USERNAME: username, ...(challenge === 'SOFTWARE_TOKEN_MFA' ? { SOFTWARE_TOKEN_MFA_CODE: answer } : { NEW_PASSWORD: answer }) },
        }),
      )
      .then((r) => outcome(r.AuthenticationResult, r.ChallengeName, r.Session, challenge === 'SOFTWARE_TOKEN_MFA'), translate('answer')),
  associateTotp: (accessToken) =>
    client.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken })).then((r) => {
      if (!r.SecretCode) throw new SignInNotPossibleError('the pool gave no authenticator secret');
      return r.SecretCode;
    }, translate('answer')),
  verifyTotp: async (accessToken, code) => {
    const verified = await client.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: code, FriendlyDeviceName: 'Cumbre' })).catch(translate('answer'));
    if (verified.Status !== 'SUCCESS') throw new SignInRefusedError();
    await client.send(new SetUserMFAPreferenceCommand({ AccessToken: accessToken, SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } })).catch(translate('answer'));
  },
});
