import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { outboxItem } from '#adapters/dynamo-outbox.js';
import { keys } from '#adapters/dynamo-keys.js';
import type { CumbreEvent } from '#domain/outbox.js';
import { EVENT_ID, eventually, localCloud, mailTo, organizerApi } from './support.js';

/**
 * Issue 10 item 5 on the local cloud: an outbox record the stream never delivers (here written so
 * the stream's INSERT filter never sees it, as after a stop mid-burst) reaches its queue through
 * the sweeper the template schedules every minute, and the invitee gets the email once.
 */
let info: LocalCloudInfo;
let doc: DynamoDBDocumentClient;
let table: string;

beforeAll(() => {
  info = localCloud();
  doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.dynamodb }));
  table = info.resources.find((r) => r.type === 'AWS::DynamoDB::Table')!.ref;
});

describe('the outbox sweep', () => {
  it('sends a record the stream never delivered, once, and marks it dispatched', async () => {
    const email = `sweep.${randomUUID().slice(0, 8)}@cumbre.example`;
    const api = organizerApi(info);
    const res = await api(`/events/${EVENT_ID}/invitations`, {
      method: 'POST',
      body: JSON.stringify({ email, name: 'Ana Sweep', country: 'MX', category: 'mayor-mx', language: 'es' }),
    });
    expect(res.status).toBe(200);
    const { id } = ((await res.json()) as { results: Array<{ id: string }> }).results[0];
    await eventually(async () => ((await mailTo(info, email)).length === 1 ? true : undefined), 'the invitation email');

    // A resend recorded two minutes ago that the stream never saw: written as a draft, then turned
    // into an outbox record by an update (a MODIFY, which the stream's filter drops).
    const resend: CumbreEvent = {
      id: randomUUID(),
      occurredAt: new Date(Date.now() - 120_000).toISOString(),
      eventId: EVENT_ID,
      invitationId: id,
      type: 'invitation.created',
      email,
      language: 'es',
      reason: 'resend',
    };
    const item = outboxItem([resend]);
    await doc.send(new PutCommand({ TableName: table, Item: { ...item, type: 'outbox-draft' } }));
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: item.pk, sk: item.sk },
        UpdateExpression: 'SET #t = :o',
        ExpressionAttributeNames: { '#t': 'type' },
        ExpressionAttributeValues: { ':o': 'outbox' },
      }),
    );

    await eventually(async () => ((await mailTo(info, email)).length === 2 ? true : undefined), 'the swept resend email', 150_000);
    const marked = await eventually(
      async () => {
        const stored = (await doc.send(new GetCommand({ TableName: table, Key: keys.outbox(id, resend.occurredAt, resend.id), ConsistentRead: true }))).Item;
        return stored && stored.undispatched === undefined ? stored : undefined;
      },
      'the dispatch mark',
      30_000,
    );
    expect(marked.dispatchedAt).toEqual(expect.any(String));
    // Written to the history by the same dispatch, and sent once.
    await eventually(
      async () => {
        const history = (await (await api(`/events/${EVENT_ID}/invitations/${id}`)).json()) as { history?: Array<{ id: string }> };
        return history.history?.some((h) => h.id === resend.id) ? true : undefined;
      },
      'the history entry',
      30_000,
    );
    expect(await mailTo(info, email)).toHaveLength(2);
  }, 240_000);
});
