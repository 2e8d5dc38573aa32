import type { PreTokenGenerationTriggerEvent, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { EVENT_ROLES, MFA_ROLES, groupName, type Grant } from '#domain/access/roles.js';
import { WITHHELD_CLAIM } from '#domain/access/mfa-gate.js';
import { makeHandler } from '../../functions/handlers/pre-token-generation.js';

/**
 * The user pool's pre-token-generation trigger, called as Cognito calls it. cognito-local (the
 * local cloud's pool) cannot run it faithfully — it applies only claimsOverrideDetails, to the ID
 * token, ignores groupOverrideDetails and leaves groupConfiguration empty — so the handler is
 * tested here with Cognito's event shapes, and its TOTP lookup against cognito-local in
 * test/e2e/mfa.test.ts.
 */
const EVENT = 'na-mayors-summit-2019';
// Every grant the scheme knows, for the summit and another event, plus names it does not read.
const grants: Grant[] = [{ role: 'admin' }, ...EVENT_ROLES.flatMap((role) => [EVENT, 'other-event'].map((eventId) => ({ role, eventId })))];
const everyGroup = [...grants.map(groupName), 'Admin', `event:${EVENT}:superuser`];
const privileged = grants.filter((g) => MFA_ROLES.includes(g.role)).map(groupName);

const v1 = (groups: string[]): PreTokenGenerationTriggerEvent => ({
  version: '1',
  triggerSource: 'TokenGeneration_Authentication',
  region: 'us-east-1',
  userPoolId: 'us-east-1_pool',
  userName: 'ana-3f9c1a',
  callerContext: { awsSdkVersion: 'x', clientId: 'client' },
  request: { userAttributes: { email: 'ana@example.org' }, groupConfiguration: { groupsToOverride: groups, iamRolesToOverride: [], preferredRole: undefined } },
  response: { claimsOverrideDetails: {} },
});
const v2 = (groups: string[]): PreTokenGenerationV2TriggerEvent =>
  ({ ...v1(groups), version: '2', triggerSource: 'TokenGeneration_RefreshTokens', response: { claimsAndScopeOverrideDetails: {} } }) as unknown as PreTokenGenerationV2TriggerEvent;

const lookups: string[] = [];
const gate = (enrolled: boolean | Error) =>
  makeHandler({
    totpEnrolled: async (pool, user) => {
      lookups.push(`${pool}/${user}`);
      if (enrolled instanceof Error) throw enrolled;
      return enrolled;
    },
  });

describe('the pre-token-generation trigger (TOTP for admin and security, enforced by the pool)', () => {
  it('drops every admin and security group from the token of an account without TOTP, and names them', async () => {
    lookups.length = 0;
    const out = (await gate(false)(v1(everyGroup))) as PreTokenGenerationTriggerEvent;
    const kept = out.response.claimsOverrideDetails.groupOverrideDetails!.groupsToOverride!;
    expect(privileged).toEqual(['admin', `event:${EVENT}:security`, 'event:other-event:security']);
    expect(kept).toEqual(everyGroup.filter((g) => !privileged.includes(g)));
    expect(out.response.claimsOverrideDetails.claimsToAddOrOverride).toEqual({ [WITHHELD_CLAIM]: privileged.join(' ') });
    expect(lookups).toEqual(['us-east-1_pool/ana-3f9c1a']);
  });

  it('leaves the token as the pool made it for an account with TOTP enrolled', async () => {
    const out = (await gate(true)(v1(everyGroup))) as PreTokenGenerationTriggerEvent;
    expect(out.response).toEqual({ claimsOverrideDetails: {} });
  });

  it('does not look anything up for an account holding no role that needs TOTP', async () => {
    lookups.length = 0;
    const groups = everyGroup.filter((g) => !privileged.includes(g));
    const out = (await gate(new Error('must not be called'))(v1(groups))) as PreTokenGenerationTriggerEvent;
    expect(out.response).toEqual({ claimsOverrideDetails: {} });
    expect(lookups).toEqual([]);
  });

  it.each(privileged.map((g) => [g]))('withholds %s alone, keeping the rest', async (group) => {
    const out = (await gate(false)(v1([group, `event:${EVENT}:viewer`]))) as PreTokenGenerationTriggerEvent;
    expect(out.response.claimsOverrideDetails.groupOverrideDetails!.groupsToOverride).toEqual([`event:${EVENT}:viewer`]);
  });

  it('shapes both tokens on a version 2 event (token refresh included)', async () => {
    const out = (await gate(false)(v2(['admin', `event:${EVENT}:organizer`]))) as PreTokenGenerationV2TriggerEvent;
    expect(out.response.claimsAndScopeOverrideDetails).toEqual({
      groupOverrideDetails: { groupsToOverride: [`event:${EVENT}:organizer`], iamRolesToOverride: [], preferredRole: undefined },
      idTokenGeneration: { claimsToAddOrOverride: { [WITHHELD_CLAIM]: 'admin' } },
    });
  });

  it('fails the sign-in (no token at all) when it cannot tell whether TOTP is enrolled', async () => {
    await expect(gate(new Error('Cognito unavailable'))(v1(['admin']))).rejects.toThrow('Cognito unavailable');
  });
});
