import { AdminCreateUserCommand, AdminSetUserPasswordCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import type { PreTokenGenerationTriggerEvent } from 'aws-lambda';
import { totpEnrolment } from '#adapters/cognito-mfa.js';
import * as preTokenGeneration from '../../functions/handlers/pre-token-generation.js';
import { CognitoDirectory } from '#adapters/cognito-directory.js';
import { EVENT_ID, localCloud, signInRequest, totp } from './support.js';

describe('TOTP for security and admin, through the dashboard sign-in', () => {
  it('walks a security officer through enrolment, then asks for a code on every sign-in', async () => {
    // Prepare: a new security officer of the summit (the seeded ones stay as they are for the role matrix)
    const info = localCloud();
    const cognito = new CognitoIdentityProviderClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.cognito });
    const poolId = info.cognito.userPoolId!;
    const username = 'officer.mfa@cumbre.example';
    const password = 'Officer-Mfa-Passw0rd!';
    const group = `event:${EVENT_ID}:security`;
    await cognito.send(new AdminCreateUserCommand({ UserPoolId: poolId, Username: username, MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: username }] }));
    await cognito.send(new AdminSetUserPasswordCommand({ UserPoolId: poolId, Username: username, Password: password, Permanent: true }));
    await new CognitoDirectory(cognito, poolId).addToGroup(username, group);
    const post = (body: object) => signInRequest(info, body);

    // Act + Assess: no token without TOTP, an enrolment step instead
    const first = await post({ username, password });
    expect(first.status).toBe(200);
    expect(first.body.idToken).toBeUndefined();
    expect(first.body).toMatchObject({ challenge: 'MFA_SETUP', secretCode: expect.stringMatching(/^[A-Z2-7]+=*$/) });
    expect(first.body.otpauthUri).toContain(`secret=${first.body.secretCode}`);
    // A wrong code enrols nothing; a tampered session is refused.
    expect((await post({ username, challenge: 'MFA_SETUP', session: first.body.session, code: totp(first.body.secretCode) === '000000' ? '111111' : '000000' })).status).toBe(401);
    expect((await post({ username, challenge: 'MFA_SETUP', session: `x${first.body.session}`, code: totp(first.body.secretCode) })).status).toBe(401);
    expect((await post({ username, password })).body.challenge).toBe('MFA_SETUP');

    const again = await post({ username, password });
    const enrolled = await post({ username, challenge: 'MFA_SETUP', session: again.body.session, code: totp(again.body.secretCode) });
    expect(enrolled).toEqual({ status: 200, body: { enrolled: true } });

    // From now on the pool asks for a code, and the token it then gives works for security's routes.
    const challenge = await post({ username, password });
    expect(challenge.body).toMatchObject({ challenge: 'SOFTWARE_TOKEN_MFA', session: expect.any(String) });
    const signedIn = await post({ username, challenge: 'SOFTWARE_TOKEN_MFA', session: challenge.body.session, code: totp(again.body.secretCode) });
    expect(signedIn.body).toMatchObject({ idToken: expect.any(String) });
    const list = await fetch(`${info.apiUrl}/events/${EVENT_ID}/accreditation?format=json`, { headers: { authorization: `Bearer ${signedIn.body.idToken}` } });
    expect(list.status).toBe(200);

    // The pool's pre-token-generation trigger reads this enrolment through AdminGetUser. cognito-local
    // cannot run the trigger itself (see the README), so its handler is called here as the pool
    // would call it, with its lookup against this pool: the officer now keeps the role; the seeded
    // security user, never enrolled, does not.
    const gate = preTokenGeneration.makeHandler({ totpEnrolled: totpEnrolment(cognito) });
    const tokenFor = async (user: string) =>
      (await gate({
        version: '1',
        triggerSource: 'TokenGeneration_Authentication',
        region: info.region,
        userPoolId: poolId,
        userName: user,
        callerContext: { awsSdkVersion: 'x', clientId: 'x' },
        request: { userAttributes: {}, groupConfiguration: { groupsToOverride: [group], iamRolesToOverride: [] } },
        response: { claimsOverrideDetails: {} },
      })) as PreTokenGenerationTriggerEvent;
    expect((await tokenFor(username)).response.claimsOverrideDetails.groupOverrideDetails).toBeUndefined();
    const seeded = info.session.users!.find((u) => u.name === 'security')!;
    expect((await tokenFor(seeded.username)).response.claimsOverrideDetails).toMatchObject({
      groupOverrideDetails: { groupsToOverride: [] },
      claimsToAddOrOverride: { withheld_groups: group },
    });
  });

  it('signs an organizer in without TOTP', async () => {
    const info = localCloud();
    const res = await signInRequest(info, { username: info.session.organizer.username, password: info.session.organizer.password });
    expect(res.body.idToken).toEqual(expect.any(String));
  });
});
