import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';
import type { CapacityReport } from '#domain/organizer-api.js';
import { EVENT_ID, adminApi, answer, createEventOfItsOwn, eventually, localCloud, mailTo, organizerApi, type StoredEmail } from './support.js';

/**
 * Issue 4 end to end on the local cloud: answers leave the table through its stream, the
 * dispatcher routes them to the queues, and the workers send mail through aws-ses-v2-local and
 * put badges in the S3 emulator.
 */
const run = randomUUID().slice(0, 8);
/** The seeded summit's name in each language, from the seed the local cloud loads. */
const SEED_NAME = (JSON.parse(readFileSync(new URL('../../seed/na-mayors-summit-2019.json', import.meta.url), 'utf8')) as { name: Record<'es' | 'en' | 'fr', string> }).name;
let info: LocalCloudInfo;
let api: ReturnType<typeof organizerApi>;

const importOne = async (data: object): Promise<{ id: string; rsvpUrl: string }> => {
  const res = await api(`/events/${EVENT_ID}/invitations`, { method: 'POST', body: JSON.stringify(data) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { results: Array<{ id: string; rsvpUrl: string }> }).results[0];
};
const withCalendar = (emails: StoredEmail[]) => emails.filter((e) => e.attachments.some((a) => a.contentType.startsWith('text/calendar')));
const statusIn = async (rsvpUrl: string, sessionId: string) =>
  ((await (await fetch(rsvpUrl)).json()) as { sessions: Array<{ id: string; status: string; waitlistPosition?: number }> }).sessions.find((s) => s.id === sessionId)!;

beforeAll(() => {
  info = localCloud();
  api = organizerApi(info);
});

const resource = (type: string, pattern = /./) => {
  const found = info.resources.find((r) => r.type === type && pattern.test(r.logicalId));
  if (!found) throw new Error(`no ${type} matching ${pattern}`);
  return found.ref;
};
/** The email ledger's answer emails of one invitation (`EMAIL#answer:<rsvp.answered id>`, the record names the invitation). */
const confirmationRecords = async (invitationId: string) => {
  const doc = DynamoDBDocumentClient.from(new DynamoDBClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.dynamodb }));
  const res = await doc.send(
    new QueryCommand({
      TableName: resource('AWS::DynamoDB::Table', /^Table/),
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': `EVENT#${EVENT_ID}`, ':sk': 'EMAIL#answer:' },
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []).filter((item) => item.invitationId === invitationId);
};
/** True when the email queue holds no message, visible or in flight. */
const emailQueueIdle = async () => {
  const sqs = new SQSClient({ region: info.region, credentials: info.credentials, endpoint: info.endpoints.sqs, useQueueUrlAsEndpoint: false });
  const { Attributes: a = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: resource('AWS::SQS::Queue', /EmailWorkerQueue/),
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return Number(a.ApproximateNumberOfMessages) === 0 && Number(a.ApproximateNumberOfMessagesNotVisible) === 0;
};

describe('confirmation email, calendar and badge', () => {
  const email = `workflow.${run}@cumbre.example`;
  let invitation: { id: string; rsvpUrl: string };

  it('sends exactly one confirmation with an .ics of every confirmed session', async () => {
    invitation = await importOne({
      email,
      name: 'Émilie Tremblay',
      title: 'Mairesse',
      organization: 'Québec',
      country: 'CA',
      category: 'mayor-ca',
      language: 'fr',
      sessions: ['welcome-cocktail', 'presidential-session'],
    });
    const res = await answer(invitation.rsvpUrl, {
      responses: [
        { sessionId: 'welcome-cocktail', attending: true },
        { sessionId: 'presidential-session', attending: true },
      ],
      accreditation: { nationality: 'CA', idDocumentNumber: 'AB123456' },
    });
    expect(res.status).toBe(200);

    const [confirmation] = await eventually(async () => {
      const m = withCalendar(await mailTo(info, email));
      return m.length ? m : undefined;
    }, 'the confirmation email');
    const calendar = confirmation.attachments.find((a) => a.contentType.startsWith('text/calendar'))!;
    // Named after the event in her language, as a mail client's parser reads it (the emulator's mailparser): never the event's id.
    expect(calendar.filename).toBe(`${SEED_NAME.fr}.ics`);
    const ics = Buffer.from(calendar.content, 'base64').toString('utf8');
    expect(ics).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(2);
    expect(ics).toContain('SUMMARY:Cocktail de bienvenue');
    expect(ics).toMatch(/DTSTART:\d{8}T\d{6}Z/);
    expect(ics.trimEnd().endsWith('END:VCALENDAR')).toBe(true);
    expect(confirmation.body.html).toContain('Émilie Tremblay');

    // Both confirmations came from one answer: once the email queue has handled both events, the
    // ledger holds one confirmation for this answer, claimed once and sent — so no second email.
    const dispatched = async () => {
      const detail = (await (await api(`/events/${EVENT_ID}/invitations/${invitation.id}`)).json()) as { history: Array<{ type: string }> };
      return detail.history.filter((e) => e.type === 'rsvp.confirmed').length === 2;
    };
    const records = await eventually(
      async () => ((await dispatched()) && (await emailQueueIdle()) ? confirmationRecords(invitation.id) : undefined),
      'both confirmations dispatched and the email queue drained',
    );
    expect(records).toEqual([expect.objectContaining({ kind: 'confirmation', status: 'SENT', attempts: 1 })]);
    expect(records[0]).not.toHaveProperty('resent');
    expect(withCalendar(await mailTo(info, email))).toHaveLength(1);
  });

  it('renders a badge PDF into S3, reachable through a short-lived link', async () => {
    const location = await eventually(async () => {
      const res = await fetch(`${invitation.rsvpUrl}/badge`, { redirect: 'manual' });
      return res.status === 302 ? res.headers.get('location')! : undefined;
    }, 'the badge');
    expect(location).toMatch(/X-Amz-Expires=300/);
    const pdf = await fetch(location);
    expect(pdf.status).toBe(200);
    const bytes = new Uint8Array(await pdf.arrayBuffer());
    expect(Buffer.from(bytes.slice(0, 5)).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    expect(doc.getTitle()).toBe('Émilie Tremblay');
  });
});

describe('promotion from the waitlist', () => {
  // An event of its own (the summit's categories, one session of six seats), so what other files left
  // waiting in the summit's sessions cannot be promoted ahead of this test's invitees.
  const EVENT = `promotion-${run}`;
  const SESSION = 'plenary';
  let asAdmin: ReturnType<typeof adminApi>;
  const invite = async (rows: object[]) => {
    const res = await asAdmin(`/events/${EVENT}/invitations`, { method: 'POST', body: JSON.stringify(rows) });
    expect(res.status).toBe(200);
    return ((await res.json()) as { results: Array<{ id: string; rsvpUrl: string }> }).results;
  };
  const person = (who: string, guests: number) => ({
    email: `${who}.${run}@cumbre.example`,
    name: who,
    country: 'MX',
    category: 'local-official',
    language: 'es',
    sessions: [SESSION],
    guests,
  });

  beforeAll(async () => {
    asAdmin = adminApi(info);
    await createEventOfItsOwn(info, { id: EVENT, name: { es: `Promoción ${run}`, en: `Promotion ${run}`, fr: `Promotion ${run}` }, capacity: 6 });
  });

  it('promotes the first waitlisted invitee when a confirmed one declines, and tells them', async () => {
    // Prepare: two parties of three fill the six seats, then two invitees queue behind them.
    const fillers = await invite([person('lleno.a', 2), person('lleno.b', 2)]);
    for (const f of fillers) expect((await answer(f.rsvpUrl, { responses: [{ sessionId: SESSION, attending: true }], guests: 2 })).status).toBe(200);
    const [first, second] = await invite([person('first', 2), person('second', 0)]);
    expect((await answer(first.rsvpUrl, { responses: [{ sessionId: SESSION, attending: true }], guests: 2 })).status).toBe(200);
    expect((await answer(second.rsvpUrl, { responses: [{ sessionId: SESSION, attending: true }] })).status).toBe(200);
    expect(await statusIn(first.rsvpUrl, SESSION)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    expect(await statusIn(second.rsvpUrl, SESSION)).toMatchObject({ status: 'waitlisted', waitlistPosition: 2 });

    // Act: a party of three declines.
    expect((await answer(fillers[0].rsvpUrl, { responses: [{ sessionId: SESSION, attending: false }] })).status).toBe(200);

    // Assess: the first waitlisted party (three seats) takes them; the second keeps waiting, now first in line.
    await eventually(async () => ((await statusIn(first.rsvpUrl, SESSION)).status === 'confirmed' ? true : undefined), 'the promotion');
    expect(await statusIn(second.rsvpUrl, SESSION)).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });
    const promotion = await eventually(async () => withCalendar(await mailTo(info, `first.${run}@cumbre.example`))[0], 'the promotion email');
    expect(promotion.subject.length).toBeGreaterThan(0);
    const capacity = (await (await asAdmin(`/events/${EVENT}/capacity`)).json()) as CapacityReport;
    const s = capacity.sessions.find((x) => x.sessionId === SESSION)!;
    expect(s.confirmed).toBe(s.capacity);
  });
});
