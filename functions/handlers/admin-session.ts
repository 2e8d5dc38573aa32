import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import * as z from 'zod';
import { signIn, signInSchemaFor, type OrganizerAuthenticator } from '#domain/sign-in.js';
import { cognitoAuthenticator } from '#adapters/cognito-authenticator.js';
import type { SessionResponse } from '#domain/organizer-api.js';
import { loadConfig } from '#shared/config.js';
import { httpHandler, json, parseJsonBody, parseWith } from '#shared/http.js';

const config = loadConfig(z.object({ USER_POOL_CLIENT_ID: z.string().min(1) }));
const MAX_BODY_BYTES = 8 * 1024;

/** POST /admin/session: `{ username, password }` → `{ idToken, expiresIn }`, or a challenge to answer. */
export const makeHandler = ({ auth }: { auth: OrganizerAuthenticator }) =>
  httpHandler(async (event) => {
    const body = parseJsonBody(event, MAX_BODY_BYTES);
    return json(200, (await signIn(auth, parseWith(signInSchemaFor(body), body))) satisfies SessionResponse);
  });

export const handler = makeHandler({ auth: cognitoAuthenticator(new CognitoIdentityProviderClient({}), config.USER_POOL_CLIENT_ID) });
