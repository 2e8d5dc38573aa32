import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { deriveKeys } from '../../functions/shared/app-keys.js';
import { rsvpUrlFor } from '../../functions/domain/invitations/links.js';
import { deriveRsvpToken } from '../../functions/domain/tokens.js';
import type { BootstrapContext, Session } from './contract.js';

interface StoredInvitation {
  id: string;
  eventId: string;
  email: string;
  tokenNonce: string;
}

const invitationsIn = async (ctx: BootstrapContext, table: string): Promise<StoredInvitation[]> => {
  const found: StoredInvitation[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await ctx.services.clients.dynamo.send(
      new ScanCommand({
        TableName: table,
        FilterExpression: '#type = :invitation',
        ExpressionAttributeNames: { '#type': 'type', '#id': 'id', '#email': 'email' },
        ExpressionAttributeValues: { ':invitation': { S: 'invitation' } },
        ProjectionExpression: '#id, eventId, #email, tokenNonce',
        ExclusiveStartKey: start,
      }),
    );
    found.push(...(page.Items ?? []).map((i) => unmarshall(i) as StoredInvitation));
    start = page.LastEvaluatedKey;
  } while (start);
  return found.sort((a, b) => a.eventId.localeCompare(b.eventId) || a.email.localeCompare(b.email));
};

/**
 * Every invitation's RSVP link, derived the way the email worker derives it for a resend:
 * HMAC of the app secret over the invitation id and the nonce kept on the invitation. Only the
 * token's hash is stored, so the table alone gives no links; the local cloud holds the secret.
 */
export const allRsvpLinks = async (ctx: BootstrapContext): Promise<Session['invitations']> => {
  const table = ctx.stack.ofType('AWS::DynamoDB::Table')[0];
  const secretId = ctx.stack.ofType('AWS::SecretsManager::Secret')[0];
  const secret = secretId ? ctx.services.secrets.find(ctx.stack.physical.get(secretId)!.ref) : undefined;
  if (!table || !secret) return [];
  const key = deriveKeys(secret.secretString).rsvpTokens;
  const invitations = await invitationsIn(ctx, ctx.stack.physical.get(table)!.ref);
  return invitations.filter((i) => i.tokenNonce).map((i) => ({ email: i.email, eventId: i.eventId, rsvpUrl: rsvpUrlFor(ctx.apiUrl, deriveRsvpToken(key, i.id, i.tokenNonce)) }));
};
