import { inject } from 'vitest';
import type { LocalCloudInfo } from '../../local/index.js';

/** Shared helpers for tests that talk to the local cloud started by test/e2e/global-setup.ts. */
export const EVENT_ID = 'na-mayors-summit-2019';

export const localCloud = (): LocalCloudInfo => {
  const { info, error } = inject('localCloud');
  if (!info) throw new Error(`the local cloud did not start: ${error}`);
  return info;
};

export const eventually = async <T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 45_000): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
};

/** The organizer API with the session's organizer token. */
export const organizerApi = (info: LocalCloudInfo) => (path: string, init: RequestInit = {}) =>
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

export const answer = (rsvpUrl: string, body: object) =>
  fetch(rsvpUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
