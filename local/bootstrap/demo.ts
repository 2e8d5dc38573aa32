import type { EventDefinition } from '../../functions/domain/model.js';
import type { Log } from '../log.js';
import type { BootstrapContext, Session } from './contract.js';
import { DEMO_EVENT_ID, DEMO_INVITEES } from './demo-data.js';
import { shiftEventForward } from './event-dates.js';

export const SEED_RESOURCE_TYPE = 'Custom::CumbreEventSeed';
const IMPORT_ROUTE = 'POST /events/{eventId}/invitations';

export interface DemoState {
  events?: Session['events'];
  demo?: { importedAt: string; invitations: Array<{ email: string; rsvpPath: string }> };
}

/** The seed resource's event, moved forward by whole weeks so it lies ahead of today. */
export const shiftSeedForward = (properties: Record<string, unknown>, log: Log): Record<string, unknown> => {
  if (typeof properties.Event !== 'string') return properties;
  const original = JSON.parse(properties.Event) as EventDefinition;
  const { event, shiftedByDays } = shiftEventForward(original, new Date());
  if (shiftedByDays > 0) {
    log.info(
      'seed',
      `moved ${event.id} forward by ${shiftedByDays} days (${shiftedByDays / 7} weeks) so it lies ahead of today: sessions from ${event.sessions[0]?.start} (was ${original.sessions[0]?.start}), RSVP deadline ${event.rsvpDeadline}`,
    );
  }
  return { ...properties, Event: JSON.stringify(event) };
};

/** Every event a seed resource created, this start or an earlier one. */
export const seededEvents = (ctx: BootstrapContext): Session['events'] => {
  const state = ctx.store.state as DemoState;
  const seeded = ctx.stack.customResources
    .filter((r) => typeof r.properties.Event === 'string')
    .map((r) => JSON.parse(r.properties.Event as string) as EventDefinition)
    .map((ev) => ({ id: ev.id, sessions: ev.sessions.map((s) => ({ id: s.id, capacity: s.capacity })) }));
  const byId = new Map([...(state.events ?? []), ...seeded].map((e) => [e.id, e]));
  state.events = [...byId.values()];
  return state.events;
};

/** Imports the demo invitations through the API, on the first start only; the links are kept in state.json. */
export const importDemoOnce = async (ctx: BootstrapContext, events: Session['events'], token: string): Promise<void> => {
  const state = ctx.store.state as DemoState;
  if (!ctx.seedDemo || state.demo || !events.some((e) => e.id === DEMO_EVENT_ID)) return;
  if (!ctx.routes.includes(IMPORT_ROUTE) || !token) {
    ctx.log.warn('seed', `no ${IMPORT_ROUTE} route or no organizer token yet: demo invitations not imported`);
    return;
  }
  const res = await fetch(`${ctx.apiUrl}/events/${DEMO_EVENT_ID}/invitations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(DEMO_INVITEES),
  });
  const body = (await res.json().catch(() => ({}))) as { results?: Array<{ email: string; rsvpUrl?: string }> };
  if (!res.ok) {
    ctx.log.warn('seed', `demo import answered ${res.status}: ${JSON.stringify(body).slice(0, 500)}`);
    return;
  }
  const invitations = (body.results ?? []).filter((r) => r.rsvpUrl).map((r) => ({ email: r.email, rsvpPath: new URL(r.rsvpUrl!).pathname }));
  state.demo = { importedAt: new Date().toISOString(), invitations };
  await ctx.store.save();
  ctx.log.info('seed', `imported ${invitations.length} demo invitations into ${DEMO_EVENT_ID}`);
};
