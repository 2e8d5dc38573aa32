import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import * as z from '#domain/zod.js';
import { signIn, signInSchemaFor, type OrganizerAuthenticator } from '#domain/sign-in.js';
import { cognitoAuthenticator } from '#adapters/cognito-authenticator.js';
import { sealer, type Sealer } from '#domain/access/seal.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { loadConfig, secretConfig } from '#shared/config.js';
import type { SessionResponse } from '#domain/organizer-api.js';
import { httpHandler, json, parseJsonBody, parseWith } from '#shared/http.js';

const config = loadConfig(z.object({ USER_POOL_CLIENT_ID: z.string().check(z.minLength(1)) }), secretConfig);
const keys = await loadAppKeys(config.SECRET_ARN);
const MAX_BODY_BYTES = 8 * 1024;

/**
 * POST /admin/session: `{ username, password }` → `{ idToken, expiresIn }`, or a challenge to
 * answer (a TOTP code, a new password, or enrolment of an authenticator app for admin and security).
 */
export const makeHandler = ({ auth, seal = sealer(keys.mfaEnrolment) }: { auth: OrganizerAuthenticator; seal?: Sealer }) =>
  httpHandler(async (event) => {
    const body = parseJsonBody(event, MAX_BODY_BYTES);
    return json(200, (await signIn(auth, parseWith(signInSchemaFor(body), body), { sealer: seal })) satisfies SessionResponse);
  });

export const handler = makeHandler({ auth: cognitoAuthenticator(new CognitoIdentityProviderClient({}), config.USER_POOL_CLIENT_ID) });
