import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  InitiateAuthCommand,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { randomInt } from 'node:crypto';
import type { BootstrapContext, Session } from './contract.js';

const ORGANIZER_EMAIL = 'organizer@cumbre.example';

export interface OrganizerState {
  organizer?: { username: string; email: string; password: string };
}

/** A password that passes the pool's policy: every character class, at least its minimum length. */
export const generatePassword = (minimumLength = 8): string => {
  const sets = ['ABCDEFGHJKLMNPQRSTUVWXYZ', 'abcdefghijkmnopqrstuvwxyz', '23456789', '!#%+-=?@'];
  const chars = sets.map((s) => s[randomInt(s.length)]);
  const all = sets.join('');
  while (chars.length < Math.max(16, minimumLength)) chars.push(all[randomInt(all.length)]);
  return chars.join('');
};

/** Ensures the organizer exists with the stored password and belongs to the pool's groups. */
export const ensureOrganizer = async (
  cognito: CognitoIdentityProviderClient,
  poolId: string,
  organizer: { username: string; email: string; password: string },
  groups: string[],
): Promise<void> => {
  try {
    await cognito.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: organizer.username,
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: organizer.email },
          { Name: 'email_verified', Value: 'true' },
        ],
      }),
    );
  } catch (err) {
    if ((err as Error).name !== 'UsernameExistsException') throw err;
  }
  await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: organizer.username, Password: organizer.password, Permanent: true }));
  for (const group of groups) {
    await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: organizer.username, GroupName: group }));
  }
};

/** The user pool the organizer signs in to, and an app client that allows password sign-in. */
export const poolAndClient = (ctx: BootstrapContext) => {
  const { stack } = ctx;
  const poolLogicalId = stack.ofType('AWS::Cognito::UserPool')[0];
  if (!poolLogicalId) return undefined;
  const poolId = stack.physical.get(poolLogicalId)!.ref;
  const clients = stack.ofType('AWS::Cognito::UserPoolClient').filter((id) => stack.props(id).UserPoolId === poolId);
  const passwordFlow = (id: string) => ((stack.props(id).ExplicitAuthFlows as string[] | undefined) ?? []).some((f) => /USER_PASSWORD_AUTH$/.test(f));
  const client = clients.find(passwordFlow) ?? clients[0];
  const groups = stack
    .ofType('AWS::Cognito::UserPoolGroup')
    .filter((id) => stack.props(id).UserPoolId === poolId)
    .map((id) => stack.physical.get(id)!.ref);
  const minLength = Number((stack.props(poolLogicalId).Policies as { PasswordPolicy?: { MinimumLength?: number } } | undefined)?.PasswordPolicy?.MinimumLength ?? 8);
  return { poolId, clientId: client ? stack.physical.get(client)!.ref : undefined, groups, minLength };
};

/**
 * Creates the organizer (once; the password is kept in state.json), signs in, and keeps the token
 * in the session fresh for as long as the cloud runs (`onToken` rewrites session.json).
 */
export const organizerSignIn = async (ctx: BootstrapContext, onToken: (token: string) => Promise<void>): Promise<Session['organizer']> => {
  const found = poolAndClient(ctx);
  if (!found) return { username: '', password: '', token: '' };
  const state = ctx.store.state as OrganizerState;
  const cognito = ctx.services.clients.cognito;
  // The email is the username: it signs in on email-username pools, alias pools, and
  // cognito-local (whose pools default to email usernames).
  state.organizer ??= { username: ORGANIZER_EMAIL, email: ORGANIZER_EMAIL, password: generatePassword(found.minLength) };
  await ctx.store.save();
  const organizer = state.organizer;
  await ensureOrganizer(cognito, found.poolId, organizer, found.groups);
  const signIn = async () => {
    if (!found.clientId) return { token: '', expiresIn: 0 };
    const auth = await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: found.clientId, AuthParameters: { USERNAME: organizer.username, PASSWORD: organizer.password } }),
    );
    return { token: auth.AuthenticationResult?.IdToken ?? '', expiresIn: auth.AuthenticationResult?.ExpiresIn ?? 3600 };
  };
  const first = await signIn();
  if (first.token) {
    const refresh = setInterval(
      () =>
        void signIn()
          .then(({ token }) => onToken(token))
          .then(() => ctx.log.debug('cognito', 'organizer token refreshed in session.json'))
          .catch((err: unknown) => ctx.log.warn('cognito', `organizer token refresh failed: ${(err as Error).message}`)),
      Math.max(60, first.expiresIn - 300) * 1000,
    );
    refresh.unref();
    ctx.life.register('token refresh', async () => clearInterval(refresh));
  }
  return { username: organizer.username, password: organizer.password, token: first.token };
};
