import path from 'node:path';
import { writeFileAtomic } from '../state-files.js';
import type { Bootstrap, BootstrapContext, Session } from './contract.js';
import { importDemoOnce, seededEvents, SEED_RESOURCE_TYPE, shiftSeedForward, type DemoState } from './demo.js';
import { allRsvpLinks } from './links.js';
import { organizerSignIn, poolAndClient, type OrganizerState } from './organizer.js';
import { seedCumbreUsers } from './people.js';
import { DEMO_EVENT_ID } from './demo-data.js';

/** Every invitation's link, the demo invitees first (in the demo list's order), then the rest by event and email. */
const invitationLinks = async (ctx: BootstrapContext): Promise<Session['invitations']> => {
  const demo = (ctx.store.state as DemoState).demo?.invitations ?? [];
  const all = await allRsvpLinks(ctx);
  const rank = (email: string) => {
    const i = demo.findIndex((d) => d.email === email);
    return i === -1 ? demo.length : i;
  };
  return all
    .map((link, i) => ({ link, i }))
    .sort((a, b) => rank(a.link.email) - rank(b.link.email) || a.i - b.i)
    .map(({ link }) => link);
};

/**
 * Cumbre's bootstrap: the organizer's user, the summit seed moved ahead of today, the demo
 * invitations, and `session.json`. The engine around it runs any synthesized template.
 */
export const cumbreBootstrap: Bootstrap = {
  defaultStackName: 'Cumbre-dev',
  customResourceProperties: ({ type, properties }, log) => (type === SEED_RESOURCE_TYPE ? shiftSeedForward(properties, log) : properties),
  run: async (ctx: BootstrapContext): Promise<Session> => {
    const session: Session = { apiUrl: ctx.apiUrl, mailUrl: ctx.mailUrl, organizer: { username: '', password: '', token: '' }, events: [], invitations: [] };
    const sessionFile = path.join(ctx.settings.dataDir, 'session.json');
    const writeSession = () => writeFileAtomic(sessionFile, JSON.stringify(session, null, 2));
    session.organizer = await organizerSignIn(ctx, async (token) => {
      session.organizer.token = token;
      await writeSession();
    });
    // Cumbre's roles: the organizer organizes the summit; one more user per role beside them.
    const pool = poolAndClient(ctx);
    const organizer = (ctx.store.state as OrganizerState).organizer;
    if (pool && organizer && seededEvents(ctx).some((e) => e.id === DEMO_EVENT_ID))
      session.users = await seedCumbreUsers({
        cognito: ctx.services.clients.cognito,
        poolId: pool.poolId,
        clientId: pool.clientId,
        dataDir: ctx.settings.dataDir,
        eventId: DEMO_EVENT_ID,
        minPasswordLength: pool.minLength,
        organizer,
      });
    // A token from before the organizer joined the summit's group would carry no role.
    const organizerToken = session.users?.find((u) => u.name === 'organizer')?.token;
    if (organizerToken) session.organizer.token = organizerToken;
    ctx.life.mark('organizer');
    ctx.life.checkAborted();
    session.events = seededEvents(ctx);
    await ctx.store.save();
    await importDemoOnce(ctx, session.events, session.organizer.token);
    session.invitations = await invitationLinks(ctx);
    await writeSession();
    return session;
  },
};

export type { Bootstrap, BootstrapContext, Session } from './contract.js';
