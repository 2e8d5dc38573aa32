import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DueRun, MessageSent, MessageSummary } from '#domain/organizer-api.js';
import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import type { LocalCloudInfo } from '../../local/index.js';
import { answer, eventually, localCloud, mailTo, type StoredEmail } from './support.js';

/**
 * Issue 15 on the local cloud, with the clock controlled through the data: an event whose RSVP
 * deadline is two days minus half an hour away (so the 2-day reminder is due now) and whose one
 * session is tomorrow at the venue (so the day-before message is due now, the venue's zone chosen
 * so that it is past 09:00 there). "What is due now" is fired from the organizers' route, twice.
 */
const run = randomUUID().slice(0, 8);
const EVENT = `reminders-e2e-${run}`;
let info: LocalCloudInfo;
let token: string;

const api = (path: string, init: RequestInit = {}) =>
  fetch(`${info.apiUrl}/events/${EVENT}${path}`, { ...init, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json' } });

const pad = (n: number) => String(n).padStart(2, '0');
/** Wall-clock `YYYY-MM-DDTHH:mm` of an instant in a fixed UTC offset (hours). */
const wallClock = (at: Date, offsetHours: number) => {
  const d = new Date(at.getTime() + offsetHours * 3_600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
};

const emails = ['confirms', 'declines', 'silent', 'unsubscribes'].map((who) => `${who}.${run}@reminders.example`);
const [CONFIRMS, DECLINES, SILENT, UNSUBSCRIBES] = emails;
const links = new Map<string, string>();
const reminders = (mail: StoredEmail[]) => mail.filter((m) => m.body.text?.includes('/unsubscribe/') && !m.subject.startsWith('Invit'));

beforeAll(async () => {
  info = localCloud();
  const admin = (info.session.users ?? []).find((u) => u.name === 'admin')!;
  const cognito = new CognitoIdentityProviderClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.cognito });
  token = (
    await cognito.send(
      new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: info.cognito.clientId!, AuthParameters: { USERNAME: admin.username, PASSWORD: admin.password } }),
    )
  ).AuthenticationResult!.IdToken!;
  // A zone where it is between 10:00 and 22:00 now: the day-before window of tomorrow is open.
  const now = new Date();
  const offset = [...Array(25).keys()].map((k) => k - 12).find((k) => (now.getUTCHours() + k + 24) % 24 >= 10 && (now.getUTCHours() + k + 24) % 24 <= 21)!;
  const zone = offset === 0 ? 'Etc/GMT' : `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
  const tomorrow = wallClock(new Date(now.getTime() + 86_400_000), offset).slice(0, 10);
  const table = info.resources.find((r) => r.type === 'AWS::DynamoDB::Table' && /^Table/.test(r.logicalId))!.ref;
  const doc = documentClient(new DynamoDBClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.dynamodb }));
  await new DynamoCumbreStore(doc, table).putEventDefinition({
    id: EVENT,
    name: { es: `Cumbre de prueba ${run}`, en: `Test summit ${run}`, fr: `Sommet d’essai ${run}` },
    venue: { name: 'Centro de Convenciones', city: 'Los Cabos', country: 'MX' },
    timezone: zone,
    rsvpDeadline: wallClock(new Date(now.getTime() + 2 * 86_400_000 - 30 * 60_000), offset),
    languages: ['es', 'en', 'fr'],
    sessions: [
      { id: 'plenary', name: { es: 'Plenaria', en: 'Plenary', fr: 'Plénière' }, start: `${tomorrow}T10:00`, end: `${tomorrow}T12:00`, capacity: 50, requiresAccreditation: false },
    ],
  });
  const res = await api('/invitations', {
    method: 'POST',
    body: JSON.stringify(emails.map((email, i) => ({ email, name: `Persona ${i}`, country: 'MX', category: 'mayor-mx', language: (['es', 'en', 'fr', 'es'] as const)[i] }))),
  });
  expect(res.status).toBe(200);
  for (const r of ((await res.json()) as { results: Array<{ id: string; email: string; rsvpUrl: string }> }).results) {
    links.set(r.email, r.rsvpUrl);
    // The clock, moved through the data: invited a week ago, so the reminder points since then count.
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `EVENT#${EVENT}`, sk: `INV#${r.id}` },
        UpdateExpression: 'SET createdAt = :then',
        ExpressionAttributeValues: { ':then': new Date(now.getTime() - 7 * 86_400_000).toISOString() },
      }),
    );
  }
  expect((await answer(links.get(CONFIRMS)!, { responses: [{ sessionId: 'plenary', attending: true }] })).status).toBe(200);
  expect((await answer(links.get(DECLINES)!, { responses: [{ sessionId: 'plenary', attending: false }] })).status).toBe(200);
}, 180_000);

describe('reminders, the day before and group messages through the local cloud', () => {
  it('"what is due now", fired twice, sends each non-responder one reminder and the attendee one day-before message', async () => {
    const first = (await (await api('/reminders/run', { method: 'POST' })).json()) as DueRun;
    const second = (await (await api('/reminders/run', { method: 'POST' })).json()) as DueRun;
    expect(first.events[0].queued).toEqual({ reminder: 2, 'day-before': 1 });
    expect(second.events[0].queued).toEqual({ reminder: 0, 'day-before': 0 });
    for (const who of [SILENT, UNSUBSCRIBES]) await eventually(async () => (reminders(await mailTo(info, who)).length === 1 ? true : undefined), `a reminder to ${who}`);
    const eve = await eventually(
      async () => reminders(await mailTo(info, CONFIRMS)).find((m) => m.attachments.some((a) => a.contentType.startsWith('text/calendar'))),
      'the day-before message',
    );
    expect(eve.body.text).toContain('Plenaria');
    expect(eve.body.text).toMatch(/\/rsvp\/[A-Za-z0-9_-]{32}\/badge/);
    // The answered ones got their confirmations and nothing else.
    expect(reminders(await mailTo(info, DECLINES))).toEqual([]);
    expect(reminders(await mailTo(info, SILENT))).toHaveLength(1);
  });

  it('the one-click link opts out once; the invitation shows it; a group message then skips that invitee and reaches the rest once', async () => {
    const [reminder] = reminders(await mailTo(info, UNSUBSCRIBES));
    const link = /https?:\/\/\S+\/unsubscribe\/\S+/.exec(reminder.body.text!)![0];
    const oneClick = () => fetch(link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click' });
    expect((await oneClick()).status).toBe(200);
    const list = (await (await api(`/invitations?q=${encodeURIComponent(UNSUBSCRIBES)}`)).json()) as { items: Array<{ id: string; optOut?: { at: string }; version: number }> };
    const [inv] = list.items;
    expect(inv.optOut?.at).toBeDefined();
    expect((await oneClick()).status).toBe(200);
    const again = (await (await api(`/invitations?q=${encodeURIComponent(UNSUBSCRIBES)}`)).json()) as typeof list;
    expect(again.items[0]).toEqual(inv);
    const forged = link.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await fetch(forged, { method: 'POST', body: 'List-Unsubscribe=One-Click' })).status).toBe(404);

    const body = { content: { es: { subject: `Aviso ${run}`, body: 'Detalles en https://summit.example.org/aviso' } }, filter: {}, requestId: randomUUID() };
    const preview = (await (await api('/messages/preview', { method: 'POST', body: JSON.stringify(body) })).json()) as { total: number; excluded: { optedOut: number } };
    expect(preview).toMatchObject({ total: 3, excluded: { optedOut: 1 } });
    const sent = (await (await api('/messages', { method: 'POST', body: JSON.stringify(body) })).json()) as MessageSent;
    const repeat = (await (await api('/messages', { method: 'POST', body: JSON.stringify(body) })).json()) as MessageSent;
    expect(sent).toMatchObject({ recipients: 3, created: true });
    expect(repeat).toMatchObject({ id: sent.id, created: false });
    const summary = await eventually(async () => {
      const items = ((await (await api('/messages')).json()) as { items: MessageSummary[] }).items;
      return items[0]?.counts.sent === 3 ? items[0] : undefined;
    }, 'the group message sent to all three');
    expect(summary.counts).toMatchObject({ pending: 0, sent: 3 });
    for (const who of [CONFIRMS, DECLINES, SILENT]) expect((await mailTo(info, who)).filter((m) => m.subject === `Aviso ${run}`)).toHaveLength(1);
    expect((await mailTo(info, UNSUBSCRIBES)).filter((m) => m.subject === `Aviso ${run}`)).toEqual([]);
  });
});
