import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runSmoke } from '../../scripts/smoke.js';
import { EVENT_ID, localCloud, mailTo, organizerApi } from './support.js';

describe('npm run smoke, against the local cloud', () => {
  it('signs in, imports, answers, sees the confirmation sent and the badge, and says so', async () => {
    const info = localCloud();
    const to = `smoke.${randomUUID().slice(0, 8)}@cumbre.example`;
    const lines: string[] = [];
    const result = await runSmoke({
      apiUrl: info.apiUrl,
      username: info.session.organizer.username,
      password: info.session.organizer.password,
      to,
      eventId: EVENT_ID,
      timeoutMs: 90_000,
      report: (l) => lines.push(l),
    });

    expect(lines).toEqual(result.verified);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['signed', 'imported', 'answered', 'confirmation', 'badge']);
    // What it claims is what the system holds: the invitation confirmed, the confirmation mailed (through the strict SES layer), the badge ready.
    const detail = (await (await organizerApi(info)(`/events/${EVENT_ID}/invitations/${result.invitationId}`)).json()) as {
      responses: Record<string, { status: string }>;
      badge: { ready: boolean };
    };
    expect(detail.responses[result.sessionId].status).toBe('confirmed');
    expect(detail.badge.ready).toBe(true);
    const subjects = (await mailTo(info, to)).map((m) => m.subject);
    expect(subjects).toHaveLength(2); // the invitation, then the confirmation
  });

  it('fails with a reason a person can act on', async () => {
    const info = localCloud();
    await expect(
      runSmoke({ apiUrl: info.apiUrl, username: info.session.organizer.username, password: 'Wrong-password-1!', to: 'x@cumbre.example', eventId: EVENT_ID }),
    ).rejects.toThrow(/sign-in: POST .*\/admin\/session answered 4\d\d/);
    await expect(
      runSmoke({ apiUrl: info.apiUrl, username: info.session.organizer.username, password: info.session.organizer.password, to: 'smoke@cumbre.example', eventId: 'no-such-event' }),
    ).rejects.toThrow(/answered 40[34]/); // an organizer of the summit is refused another event before it is looked up
  });
});
