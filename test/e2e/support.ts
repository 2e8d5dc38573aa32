import { createHmac } from 'node:crypto';
import { inject } from 'vitest';
import type { EventDetail } from '#domain/organizer-api.js';
import type { LocalCloudInfo } from '../../local/index.js';

/** Shared helpers for tests that talk to the local cloud started by test/e2e/global-setup.ts. */
export const EVENT_ID = 'na-mayors-summit-2019';

export const localCloud = (): LocalCloudInfo => {
  const { info, error } = inject('localCloud');
  if (!info) throw new Error(`the local cloud did not start: ${error}`);
  return info;
};

/** Probes until it answers; `what` may be a function, read at the timeout (what the last probe still lacked). */
export const eventually = async <T>(probe: () => Promise<T | undefined>, what: string | (() => string), timeoutMs = 45_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

/** The organizer API with the session's organizer token. */
export const organizerApi =
  (info: LocalCloudInfo) =>
  (path: string, init: RequestInit = {}) =>
    fetch(`${info.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${info.session.organizer.token}`, 'content-type': 'application/json', ...init.headers } });

export interface StoredEmail {
  messageId: string;
  subject: string;
  destination: { to: string[] };
  body: { html?: string; text?: string };
  attachments: Array<{ filename?: string; contentType: string; content: string }>;
}

/** Every email aws-ses-v2-local holds for an address. */
export const mailTo = async (info: LocalCloudInfo, address: string): Promise<StoredEmail[]> => {
  const store = (await (await fetch(`${info.mailUrl}/store`)).json()) as { emails: StoredEmail[] };
  return store.emails.filter((e) => e.destination.to.some((to) => to.includes(address)));
};

export const answer = (rsvpUrl: string, body: object) => fetch(rsvpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * Takes every free seat of a session with parties of up to three (invitee plus guests) answering
 * yes, so the next party waitlists. Returns the fillers' RSVP links and party sizes.
 */
export const fillSession = async (info: LocalCloudInfo, sessionId: string, run: string): Promise<Array<{ rsvpUrl: string; seats: number }>> => {
  const api = organizerApi(info);
  const report = (await (await api(`/events/${EVENT_ID}/capacity`)).json()) as { sessions: Array<{ sessionId: string; free: number }> };
  let free = report.sessions.find((s) => s.sessionId === sessionId)!.free;
  const parties: number[] = [];
  while (free > 0) {
    const seats = Math.min(3, free);
    parties.push(seats);
    free -= seats;
  }
  const res = await api(`/events/${EVENT_ID}/invitations`, {
    method: 'POST',
    body: JSON.stringify(
      parties.map((seats, i) => ({
        email: `filler.${sessionId}.${run}.${i}@cumbre.example`,
        name: `Filler ${i}`,
        country: 'US',
        category: 'local-official',
        language: 'en',
        sessions: [sessionId],
        guests: seats - 1,
      })),
    ),
  });
  if (res.status !== 200) throw new Error(`filling ${sessionId}: import answered ${res.status}`);
  const { results } = (await res.json()) as { results: Array<{ rsvpUrl: string }> };
  const fillers = results.map((r, i) => ({ rsvpUrl: r.rsvpUrl, seats: parties[i] }));
  for (const f of fillers) {
    const reply = await answer(f.rsvpUrl, { responses: [{ sessionId, attending: true }], guests: f.seats - 1 });
    if (reply.status !== 200) throw new Error(`filling ${sessionId}: an answer got ${reply.status}`);
  }
  return fillers;
};

/** RFC 6238 TOTP (SHA-1, 6 digits, 30 s) from a base32 secret, as an authenticator app computes it. */
export const totp = (secret: string, at = Date.now()) => {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const c of secret.replace(/=+$/, '').toUpperCase()) bits += alphabet.indexOf(c).toString(2).padStart(5, '0');
  const key = Buffer.from(bits.match(/.{8}/g)!.map((b) => parseInt(b, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(at / 30_000)));
  const h = createHmac('sha1', key).update(counter).digest();
  const o = h[h.length - 1] & 0xf;
  return String((h.readUInt32BE(o) & 0x7fffffff) % 1_000_000).padStart(6, '0');
};

/**
 * A request sent as a client that honours the gateway's throttle (like the dashboard): a 429 is
 * waited out and the request sent again, at most `attempts` times in all. The gateway answers 429
 * from its token bucket before any function runs, so sending again changes nothing.
 */
export const honouringThrottle = async (send: () => Promise<Response>, waitMs: number, attempts: number): Promise<Response> => {
  for (let attempt = 1; ; attempt++) {
    const res = await send();
    if (res.status !== 429 || attempt === attempts) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, waitMs));
  }
};

/** `POST /admin/session`. Sign-in is throttled to 2 requests/s (burst 5). */
export const signInRequest = async (info: LocalCloudInfo, body: object): Promise<{ status: number; body: Record<string, string> }> => {
  const send = () => fetch(`${info.apiUrl}/admin/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const res = await honouringThrottle(send, 600, 11);
  return { status: res.status, body: (await res.json()) as Record<string, string> };
};

/** Requests as the seeded admin (every event), like `organizerApi`. */
export const adminApi = (info: LocalCloudInfo) => {
  const admin = info.session.users?.find((u) => u.name === 'admin');
  if (!admin) throw new Error('the local cloud lists no admin in session.json');
  return (path: string, init: RequestInit = {}) =>
    fetch(`${info.apiUrl}${path}`, { ...init, headers: { authorization: `Bearer ${admin.token}`, 'content-type': 'application/json', ...init.headers } });
};

/**
 * An event of a test's own, created by the admin: the summit's categories and topics and one
 * session, `plenary`, in 2099. What other files leave in the summit's sessions (full ones, waiting
 * lists) cannot reach it.
 */
export const createEventOfItsOwn = async (info: LocalCloudInfo, event: { id: string; name: { es: string; en: string; fr: string }; capacity: number }) => {
  const asAdmin = adminApi(info);
  const summit = (await (await asAdmin(`/events/${EVENT_ID}`)).json()) as EventDetail;
  const created = await asAdmin('/events', {
    method: 'POST',
    body: JSON.stringify({
      id: event.id,
      name: event.name,
      venue: { name: 'Centro de Convenciones', city: 'Los Cabos', country: 'MX' },
      timezone: 'America/Mazatlan',
      rsvpDeadline: '2099-03-01T18:00',
      languages: ['es', 'en', 'fr'],
      categories: summit.definition.categories,
      topics: summit.definition.topics,
      sessions: [{ id: 'plenary', name: { es: 'Plenaria', en: 'Plenary', fr: 'Plénière' }, start: '2099-03-10T09:00', end: '2099-03-10T12:00', capacity: event.capacity }],
    }),
  });
  if (created.status !== 201) throw new Error(`creating event ${event.id}: ${created.status} ${await created.text()}`);
};
