import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes, randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import { eventually } from './support.js';

/**
 * Cumbre end to end, over HTTP, on the local cloud that test/e2e/global-setup.ts started from the
 * synthesized stack: sign-in, import, RSVP, capacity, the events' way through the stream and the
 * queues, and the DLQ.
 */
const { info: maybeInfo, error } = inject('localCloud');
let info: LocalCloudInfo;
let token: string;
let sqs: SQSClient;

const EVENT_ID = 'na-mayors-summit-2019';
const SESSION_ID = 'welcome-cocktail';
const run = randomUUID().slice(0, 8);
const invitee = { email: `e2e.${run}@cumbre.example`, name: 'Ana Prueba', country: 'MX', category: 'mayor-mx', language: 'es', sessions: [SESSION_ID] };

const api = (path: string, init: RequestInit & { auth?: string | null } = {}) => {
  const headers = new Headers(init.headers);
  const auth = init.auth === undefined ? token : init.auth;
  if (auth) headers.set('authorization', `Bearer ${auth}`);
  return fetch(`${info.apiUrl}${path}`, { ...init, headers });
};

const capacityOf = async (sessionId: string) => {
  const res = await api(`/events/${EVENT_ID}/capacity`);
  expect(res.status).toBe(200);
  const report = (await res.json()) as { sessions: Array<{ sessionId: string; confirmed: number; confirmedParties: number }> };
  return report.sessions.find((s) => s.sessionId === sessionId)!;
};

const mailTo = async (address: string) => {
  const store = (await (await fetch(`${info.mailUrl}/store`)).json()) as { emails: Array<{ destination: { to: string[] }; subject: string }> };
  return store.emails.filter((e) => e.destination.to.some((to) => to.includes(address)));
};

const queue = (pattern: RegExp) => {
  const r = info.resources.find((x) => x.type === 'AWS::SQS::Queue' && pattern.test(x.logicalId));
  if (!r)
    throw new Error(
      `no queue matching ${pattern} in ${info.resources
        .filter((x) => x.type === 'AWS::SQS::Queue')
        .map((x) => x.logicalId)
        .join(', ')}`,
    );
  return r;
};

beforeAll(() => {
  expect(error, 'the local cloud did not start').toBeUndefined();
  info = maybeInfo!;
  sqs = new SQSClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.sqs, useQueueUrlAsEndpoint: false });
});

describe('organizer and invitee, end to end', () => {
  let rsvpPath: string;

  it('signs the organizer in against the local user pool', async () => {
    // Act
    const cognito = new CognitoIdentityProviderClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.cognito });
    const auth = await cognito.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: info.cognito.clientId!,
        AuthParameters: { USERNAME: info.session.organizer.username, PASSWORD: info.session.organizer.password },
      }),
    );
    // Assess
    token = auth.AuthenticationResult!.IdToken!;
    expect(token.split('.')).toHaveLength(3);
  });

  it('refuses the organizer API without a token or with a wrong one (401)', async () => {
    const none = await api(`/events/${EVENT_ID}/capacity`, { auth: null });
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Unauthorized' });
    const [h, p] = token.split('.');
    const tampered = `${h}.${p}.${Buffer.from('forged').toString('base64url')}`;
    expect((await api(`/events/${EVENT_ID}/capacity`, { auth: tampered })).status).toBe(401);
    expect((await api(`/events/${EVENT_ID}/capacity`, { auth: 'not-a-jwt' })).status).toBe(401);
  });

  it('imports an invitation and gets its RSVP link once', async () => {
    const res = await api(`/events/${EVENT_ID}/invitations`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([invitee]) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { results: Array<{ row: number; id: string; email: string; status: string; rsvpUrl?: string }> };
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ row: 1, email: invitee.email, status: 'created' });
    const url = new URL(body.results[0].rsvpUrl!);
    expect(url.origin).toBe(new URL(info.apiUrl).origin);
    rsvpPath = url.pathname;
    expect(rsvpPath).toMatch(/^\/rsvp\/[^/]+$/);
  });

  it('carries invitation.created through the stream and the email queue to SES', async () => {
    // outbox record → stream (filtered) → dispatcher → email queue → email worker → aws-ses-v2-local
    const mails = await eventually(async () => {
      const m = await mailTo(invitee.email);
      return m.length >= 1 ? m : undefined;
    }, `the invitation email to ${invitee.email}`);
    expect(mails).toHaveLength(1);
  });

  it('takes the RSVP through the gateway and the capacity reflects it', async () => {
    // Prepare
    const before = await capacityOf(SESSION_ID);
    // Act
    const res = await fetch(`${info.apiUrl}${rsvpPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ responses: [{ sessionId: SESSION_ID, attending: true }] }),
    });
    // Assess
    expect(res.status).toBe(200);
    const after = await capacityOf(SESSION_ID);
    expect(after.confirmed).toBe(before.confirmed + 1);
    expect(after.confirmedParties).toBe(before.confirmedParties + 1);
  });

  it('carries rsvp.confirmed through the stream and the queues (confirmation email)', async () => {
    const mails = await eventually(async () => {
      const m = await mailTo(invitee.email);
      return m.length >= 2 ? m : undefined;
    }, `the confirmation email to ${invitee.email}`);
    expect(mails.length).toBe(2);
  });

  it('refuses an RSVP with a well-formed but unknown token: 404, like a malformed one', async () => {
    // The same shape as a real token (32 base64url characters, as the import returns them), never issued.
    const unknown = randomBytes(24).toString('base64url');
    expect(unknown).toMatch(new RegExp(`^[A-Za-z0-9_-]{${rsvpPath.split('/').pop()!.length}}$`));
    for (const token of [unknown, 'x'.repeat(43)]) {
      const res = await fetch(`${info.apiUrl}/rsvp/${token}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ responses: [{ sessionId: SESSION_ID, attending: true }] }),
      });
      expect(res.status, token).toBe(404);
      expect(await res.json()).toMatchObject({ error: 'invitation_not_found' });
    }
  });

  it('moves a message that keeps failing to its DLQ after maxReceiveCount receives', async () => {
    // Prepare
    const work = queue(/EmailWorkerQueue/);
    const dlq = queue(/EmailWorkerDlq/);
    const marker = `poison-${run}`;
    // Act: a message that fails the worker's schema is reported as a batch item failure every time.
    await sqs.send(new SendMessageCommand({ QueueUrl: work.ref, MessageBody: JSON.stringify({ marker }) }));
    // Assess
    await eventually(async () => {
      const attrs = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlq.ref, AttributeNames: ['ApproximateNumberOfMessages'] }));
      return Number(attrs.Attributes?.ApproximateNumberOfMessages) > 0 ? true : undefined;
    }, 'the message in the DLQ');
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl: dlq.ref, MaxNumberOfMessages: 10, MessageSystemAttributeNames: ['All'] }));
    const poisoned = received.Messages?.find((m) => m.Body?.includes(marker));
    expect(poisoned).toBeDefined();
  });
});
