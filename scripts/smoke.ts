/**
 * The post-deploy check (`npm run smoke -- <ApiUrl>`): uses the deployed API the way an organizer
 * and an invitee would, and says what it verified. The same function runs against the local cloud
 * in `npm test` (test/e2e/smoke.test.ts), so the path it walks is kept working.
 */

export interface SmokeOptions {
  /** The stack's ApiUrl output (no trailing slash needed). */
  apiUrl: string;
  /** An organizer in the user pool, with a permanent password. */
  username: string;
  password: string;
  /** Where the test invitation goes. In the SES sandbox it must be a verified address. */
  to: string;
  /** The seeded event. */
  eventId: string;
  /** How long to wait for the workers (email, badge). */
  timeoutMs?: number;
  /** Each verified step, as it happens. */
  report?: (line: string) => void;
  fetch?: typeof fetch;
}

export interface SmokeResult {
  invitationId: string;
  sessionId: string;
  rsvpUrl: string;
  delivery: { state: string; detail?: string; at: string };
  badgeUrl: string;
  verified: string[];
}

export class SmokeError extends Error {
  override name = 'SmokeError';
}

interface Detail {
  id: string;
  delivery?: { state: string; detail?: string; at: string };
  badge: { ready: boolean; version?: number };
  responses: Record<string, { status: string }>;
}

export const runSmoke = async (options: SmokeOptions): Promise<SmokeResult> => {
  const http = options.fetch ?? fetch;
  const api = options.apiUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 120_000;
  const verified: string[] = [];
  const ok = (line: string) => {
    verified.push(line);
    options.report?.(line);
  };
  const call = async (what: string, url: string, init: RequestInit = {}, expected = [200]) => {
    const res = await http(url, init);
    if (!expected.includes(res.status))
      throw new SmokeError(`${what}: ${init.method ?? 'GET'} ${url.replace(/\/rsvp\/[^/]+/, '/rsvp/<token>')} answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
    return res;
  };
  const until = async <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await probe();
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new SmokeError(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  // 1. Sign in as an organizer, through the API's own sign-in exchange.
  const session = (await (
    await call('sign-in', `${api}/admin/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: options.username, password: options.password }),
    })
  ).json()) as { idToken?: string; challenge?: string };
  if (!session.idToken) throw new SmokeError(`sign-in asked for ${session.challenge ?? 'a challenge'}: sign in once on ${api}/admin to set a permanent password, then run again`);
  const organizer = (path: string, init: RequestInit = {}, expected = [200]) =>
    call(path, `${api}${path}`, { ...init, headers: { authorization: `Bearer ${session.idToken}`, 'content-type': 'application/json', ...init.headers } }, expected);
  ok(`signed in as ${options.username} (POST /admin/session)`);

  // 2. One invitation (to every session), then a session with a free seat that needs no accreditation.
  const capacity = (await (await organizer(`/events/${options.eventId}/capacity`)).json()) as { sessions: Array<{ sessionId: string; free: number }> };
  const imported = (await (
    await organizer(`/events/${options.eventId}/invitations`, {
      method: 'POST',
      body: JSON.stringify({ email: options.to, name: 'Cumbre Smoke Test', organization: 'Post-deploy check', country: 'US', category: 'local-official', language: 'en' }),
    })
  ).json()) as { results: Array<{ id: string; status: string; rsvpUrl?: string }> };
  const [row] = imported.results;
  if (!row?.rsvpUrl)
    throw new SmokeError(`${options.to} was invited before (${row?.status ?? 'no result'}); the RSVP link is shown only once: use another address (e.g. name+smoke2@domain)`);
  ok(`imported one invitation for ${options.to} into ${options.eventId} (${row.id}); the import returned its RSVP link`);

  // 3. Answer it as the invitee would, through the RSVP link.
  const view = (await (await call('RSVP page', row.rsvpUrl, { headers: { accept: 'application/json' } })).json()) as {
    open: boolean;
    sessions: Array<{ id: string; requiresAccreditation: boolean }>;
  };
  if (!view.open) throw new SmokeError(`the RSVP for ${options.eventId} is closed (its deadline has passed)`);
  const free = new Map(capacity.sessions.map((s) => [s.sessionId, s.free]));
  const session1 = view.sessions.find((s) => !s.requiresAccreditation && (free.get(s.id) ?? 0) > 0);
  if (!session1) throw new SmokeError(`no session of ${options.eventId} has a free seat without an accreditation: nothing to answer`);
  const answered = (await (
    await call('answer', row.rsvpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ responses: [{ sessionId: session1.id, attending: true }] }),
    })
  ).json()) as { sessions?: Array<{ id: string; status: string }> };
  const answeredStatus = answered.sessions?.find((s) => s.id === session1.id)?.status;
  if (answeredStatus !== 'confirmed') throw new SmokeError(`the answer was recorded as ${answeredStatus ?? 'unknown'}, not confirmed`);
  ok(`answered yes through the RSVP link: ${session1.id} confirmed`);

  // 4. The confirmation email's delivery state, as organizers see it (SES's delivery report may already be in).
  const detailPath = `/events/${options.eventId}/invitations/${row.id}`;
  const detail = async () => (await (await organizer(detailPath)).json()) as Detail;
  const delivery = await until('the confirmation email to be sent', async () => {
    const d = (await detail()).delivery;
    if (d?.state === 'rejected') throw new SmokeError(`SES rejected the email: ${d.detail ?? ''}`);
    return d && d.detail === 'confirmation' && (d.state === 'sent' || d.state === 'delivered') ? d : undefined;
  });
  ok(`confirmation email sent (delivery state ${delivery.state} at ${delivery.at})`);

  // 5. The badge, rendered by the badge worker, through both links.
  await until('the badge to be rendered', async () => ((await detail()).badge.ready ? true : undefined));
  const { url: badgeUrl } = (await (await organizer(`${detailPath}/badge`, { headers: { accept: 'application/json' } })).json()) as { url: string };
  const pdf = await call('badge download', badgeUrl);
  const head = Buffer.from(await pdf.arrayBuffer())
    .subarray(0, 5)
    .toString('latin1');
  if (head !== '%PDF-') throw new SmokeError(`the badge link did not return a PDF (${pdf.headers.get('content-type')})`);
  const inviteeBadge = await call('invitee badge link', `${row.rsvpUrl}/badge`, { redirect: 'manual' }, [302]);
  if (!inviteeBadge.headers.get('location')) throw new SmokeError('the invitee badge link redirected nowhere');
  ok('badge ready: the organizer link returns a PDF, the invitee link redirects to it');

  return { invitationId: row.id, sessionId: session1.id, rsvpUrl: row.rsvpUrl, delivery, badgeUrl, verified };
};
