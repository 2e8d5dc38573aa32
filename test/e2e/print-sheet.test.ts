import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { eventDefinitionSchema } from '#domain/model.js';
import { answer, EVENT_ID, eventually, localCloud, organizerApi } from './support.js';

const SEED = eventDefinitionSchema.parse(JSON.parse(readFileSync(new URL('../../seed/na-mayors-summit-2019.json', import.meta.url), 'utf8')));

/** The print sheet is stored once per set of badges: a later request finds it (a list under sheets/, not a HeadObject). */
describe('the print sheet on the local cloud', () => {
  it('renders once, then finds the same sheet and links to it without writing it again', { timeout: 240_000 }, async () => {
    const info = localCloud();
    const api = organizerApi(info);
    const s3 = new S3Client({ endpoint: info.endpoints.s3, region: info.region, credentials: info.credentials, forcePathStyle: true });
    const sheet = async () => {
      const res = await api(`/events/${EVENT_ID}/badges.pdf?paper=A4`, { headers: { accept: 'application/json' } });
      expect(res.status).toBe(200);
      return new URL(((await res.json()) as { url: string }).url);
    };
    const stored = async (url: URL) => {
      const [, bucket, ...key] = url.pathname.split('/');
      return (await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: decodeURIComponent(key.join('/')) }))).LastModified!.getTime();
    };
    // Prepare: at least one confirmed invitee with a rendered badge, in a session with a free seat.
    const capacity = (await (await api(`/events/${EVENT_ID}/capacity`)).json()) as { sessions: Array<{ sessionId: string; free: number }> };
    const session = capacity.sessions.find((s) => s.free > 0 && s.sessionId !== 'presidential-session')!.sessionId;
    const res = await api(`/events/${EVENT_ID}/invitations`, {
      method: 'POST',
      body: JSON.stringify({
        email: `sheet.${randomUUID().slice(0, 8)}@cumbre.example`,
        name: 'Hoja Impresa',
        country: 'MX',
        category: 'academic',
        language: 'es',
        sessions: [session],
      }),
    });
    const [row] = ((await res.json()) as { results: Array<{ id: string; rsvpUrl: string }> }).results;
    expect((await answer(row.rsvpUrl, { responses: [{ sessionId: session, attending: true }] })).status).toBe(200);
    await eventually(
      async () => (((await (await api(`/events/${EVENT_ID}/invitations/${row.id}`)).json()) as { badge: { ready: boolean } }).badge.ready ? true : undefined),
      'the badge',
    );
    // Workers of earlier tests may still be rendering badges (each changes the sheet): wait for a settled set.
    const first = await eventually(
      async () => {
        const a = await sheet();
        const b = await sheet();
        return a.pathname === b.pathname ? a : undefined;
      },
      'a settled set of badges',
      90_000,
    );
    const written = await stored(first);
    await new Promise((r) => setTimeout(r, 1100));
    const again = await sheet();
    expect(again.pathname).toBe(first.pathname);
    expect(await stored(again)).toBe(written);
    const pdf = await fetch(again);
    expect(pdf.status).toBe(200);
    // Saved under the event's name and the sheet's, in the words of the dashboard that asked (?lang=).
    const named = new URL(((await (await api(`/events/${EVENT_ID}/badges.pdf?paper=A4&lang=fr`, { headers: { accept: 'application/json' } })).json()) as { url: string }).url);
    expect(named.pathname).toBe(first.pathname);
    // (What S3 is asked to answer with; the local S3 serves objects without it.)
    const disposition = named.searchParams.get('response-content-disposition') ?? '';
    expect(decodeURIComponent(/filename\*=UTF-8''([^;\s]+)/.exec(disposition)?.[1] ?? '')).toBe(`${SEED.name.fr} – porte-noms – A4.pdf`);
    expect(
      Buffer.from(await pdf.arrayBuffer())
        .subarray(0, 5)
        .toString('latin1'),
    ).toBe('%PDF-');
  });
});
