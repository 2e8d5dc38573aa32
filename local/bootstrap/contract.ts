import type { SeededUser } from './people.js';
import type { Services } from '../emulators/start-all.js';
import type { Lifecycle } from '../lifecycle.js';
import type { Log } from '../log.js';
import type { Settings } from '../options.js';
import type { Provisioned } from '../provision/index.js';
import type { StateStore } from '../state.js';

/** What `npm start` prints and writes to `<dataDir>/session.json` for people and scripts. */
export interface Session {
  apiUrl: string;
  mailUrl: string;
  organizer: { username: string; password: string; token: string };
  /** One user per role for the summit (Cumbre's people), with a token each at start-up. */
  users?: SeededUser[];
  events: Array<{ id: string; sessions: Array<{ id: string; capacity: number }> }>;
  invitations: Array<{ email: string; rsvpUrl: string; eventId?: string }>;
}

/** What the bootstrap may use once every resource, route and event source is running. */
export interface BootstrapContext {
  settings: Settings;
  log: Log;
  apiUrl: string;
  mailUrl: string;
  /** `state.json`; the bootstrap keeps its own keys in it. */
  store: StateStore;
  stack: Provisioned;
  /** Route keys the gateway serves. */
  routes: string[];
  services: Services;
  life: Lifecycle;
  /** False when the caller asked for no demo data. */
  seedDemo: boolean;
}

/**
 * The application-specific part of a start: the engine runs any synthesized template; a bootstrap
 * knows the application (its users, its seed data, the links worth printing).
 */
export interface Bootstrap {
  /** The stack run when neither the options nor `CUMBRE_STACK` name one. */
  defaultStackName: string;
  /** May rewrite a custom resource's properties before its Create/Update is sent (e.g. demo dates). */
  customResourceProperties?(resource: { logicalId: string; type: string; properties: Record<string, unknown> }, log: Log): Record<string, unknown>;
  /** Users, seed data and the session facts, once the stack runs. */
  run(ctx: BootstrapContext): Promise<Session>;
}
