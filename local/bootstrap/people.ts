import { AdminAddUserToGroupCommand, CreateGroupCommand, InitiateAuthCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { groupName, type Grant } from '../../functions/domain/access/roles.js';
import { ensureOrganizer, generatePassword } from './organizer.js';

/** A person the local cloud signs up for the summit, one per role; listed in session.json. */
export interface SeededUser {
  /** `admin`, `organizer`, `security`, `door`, `viewer`, or `elsewhere` (an organizer of another event). */
  name: string;
  username: string;
  email: string;
  password: string;
  groups: string[];
  /** An ID token from Cognito directly (the dashboard's sign-in asks admin and security for TOTP first). */
  token: string;
}

/** The event the `elsewhere` user organizes: a role on another event must grant nothing here. */
export const OTHER_EVENT_ID = 'cumbre-other-event';

const people = (eventId: string): Array<{ name: string; grants: Grant[] }> => [
  { name: 'admin', grants: [{ role: 'admin' }] },
  { name: 'organizer', grants: [{ role: 'organizer', eventId }] },
  { name: 'security', grants: [{ role: 'security', eventId }] },
  { name: 'door', grants: [{ role: 'door', eventId }] },
  { name: 'viewer', grants: [{ role: 'viewer', eventId }] },
  { name: 'elsewhere', grants: [{ role: 'organizer', eventId: OTHER_EVENT_ID }] },
];

/**
 * Cumbre's people on the local pool: one user per role for the summit (the `organizer` one is the
 * session's organizer, who imports the demo set), each in its `event:<id>:<role>` group. Passwords
 * stay the same across restarts (`<dataDir>/users.json`).
 */
export const seedCumbreUsers = async (options: {
  cognito: CognitoIdentityProviderClient;
  poolId: string;
  clientId: string | undefined;
  dataDir: string;
  eventId: string;
  minPasswordLength: number;
  /** The session's organizer, who becomes the summit's `organizer`. */
  organizer: { username: string; email: string; password: string };
}): Promise<SeededUser[]> => {
  const { cognito, poolId, clientId, dataDir, eventId } = options;
  const file = path.join(dataDir, 'users.json');
  const stored = JSON.parse(await readFile(file, 'utf8').catch(() => '{}')) as Record<string, { username: string; email: string; password: string }>;
  const users: SeededUser[] = [];
  for (const { name, grants } of people(eventId)) {
    const account =
      name === 'organizer'
        ? options.organizer
        : (stored[name] ??= { username: `${name}@cumbre.example`, email: `${name}@cumbre.example`, password: generatePassword(options.minPasswordLength) });
    const groups = grants.map(groupName);
    for (const g of groups)
      await cognito.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: g })).catch((err: Error) => {
        if (err.name !== 'GroupExistsException') throw err;
      });
    if (name === 'organizer') for (const g of groups) await cognito.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: account.username, GroupName: g }));
    else await ensureOrganizer(cognito, poolId, account, groups);
    let token = '';
    if (clientId) {
      const auth = await cognito.send(
        new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: clientId, AuthParameters: { USERNAME: account.username, PASSWORD: account.password } }),
      );
      token = auth.AuthenticationResult?.IdToken ?? '';
    }
    users.push({ name, username: account.username, email: account.email, password: account.password, groups, token });
  }
  await writeFile(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return users;
};
