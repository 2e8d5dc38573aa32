import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import type { PreTokenGenerationTriggerEvent, PreTokenGenerationV2TriggerEvent } from 'aws-lambda';
import { gateGroups, requiresTotp, WITHHELD_CLAIM } from '#domain/access/mfa-gate.js';
import { totpEnrolment } from '#adapters/cognito-mfa.js';
import { logger } from '#shared/observability.js';

export type PreTokenEvent = PreTokenGenerationTriggerEvent | PreTokenGenerationV2TriggerEvent;

export interface PreTokenDeps {
  totpEnrolled: (userPoolId: string, username: string) => Promise<boolean>;
}

/**
 * The user pool's pre-token-generation trigger: TOTP for `admin` and `security`, enforced by
 * Cognito itself. A token for an account without a verified authenticator carries none of the
 * groups that need one (`groupOverrideDetails`), and names them in `withheld_groups` so the
 * dashboard's sign-in walks the person through enrolment. Version 1 events (the pool's basic
 * plan) shape the ID token, the only token the API accepts; version 2 events shape both tokens.
 * A failed lookup fails the sign-in (Cognito issues no token) rather than guess.
 */
export const makeHandler =
  ({ totpEnrolled }: PreTokenDeps) =>
  async (event: PreTokenEvent): Promise<PreTokenEvent> => {
    const groups = event.request.groupConfiguration.groupsToOverride ?? [];
    if (!groups.some(requiresTotp)) return event;
    const { kept, withheld } = gateGroups(groups, await totpEnrolled(event.userPoolId, event.userName));
    if (!withheld.length) return event;
    logger.info('Roles withheld from a token: no TOTP enrolled', { username: event.userName, withheld, trigger: event.triggerSource });
    const groupOverrideDetails = { ...event.request.groupConfiguration, groupsToOverride: kept };
    const claims = { [WITHHELD_CLAIM]: withheld.join(' ') };
    if (event.version === '1') (event as PreTokenGenerationTriggerEvent).response = { claimsOverrideDetails: { groupOverrideDetails, claimsToAddOrOverride: claims } };
    else (event as PreTokenGenerationV2TriggerEvent).response = { claimsAndScopeOverrideDetails: { groupOverrideDetails, idTokenGeneration: { claimsToAddOrOverride: claims } } };
    return event;
  };

export const handler = makeHandler({ totpEnrolled: totpEnrolment(new CognitoIdentityProviderClient({})) });
