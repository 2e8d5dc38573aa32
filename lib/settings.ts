import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { shiftEventForward } from './seed-dates.js';
import { eventDefinitionSchema, type EventDefinition } from '../functions/domain/model.js';
import { zonedLocalToUtc } from '../functions/domain/time.js';

/** Deployment settings, read from CDK context (`cdk.json` or `-c key=value`) and validated. */
export const settingsSchema = z.object({
  stage: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/),
  senderEmail: z.email(),
  /** Create the sender's domain as an SES identity with Easy DKIM; `false` when it already exists in the account. */
  createSenderIdentity: z.stringbool().or(z.boolean()).default(true),
  /** A custom domain for RSVP links; empty = the API's own URL. */
  publicBaseUrl: z.union([z.literal(''), z.url()]).default(''),
  allowedOrigins: z.array(z.string()).default([]),
  throttleRateLimit: z.coerce.number().int().positive(),
  throttleBurstLimit: z.coerce.number().int().positive(),
  maxReceiveCount: z.coerce.number().int().min(1).max(10),
  /** Concurrent email-worker invocations (Lambda allows 2–1000): keeps sending within SES's rate. */
  emailMaxConcurrency: z.coerce.number().int().min(2).max(1000).default(2),
  /** Where capacity alerts (80 %, 95 %, 100 %) go; empty = the sender address. */
  organizerAlertEmail: z.union([z.literal(''), z.email()]).default(''),
  /** The language capacity alerts are written in (the organizing committee's). */
  organizerLanguage: z.enum(['es', 'en', 'fr']).default('es'),
  /** Subscribed to the ops alarm topic (SNS asks the address to confirm). */
  opsEmail: z.union([z.literal(''), z.email()]).default(''),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  /** The event seeded at deploy, relative to the project root; `none` seeds nothing. */
  seedFile: z.string().default('seed/na-mayors-summit-2019.json'),
  /**
   * `as-is`: the seed's RSVP deadline must lie ahead, or the synth stops. `shift-forward` (outside
   * `prod` only): a past seed moves forward by whole weeks until its deadline is 14 days ahead, as
   * the local cloud does, for a current example of the 2019 summit.
   */
  seedDates: z.enum(['as-is', 'shift-forward']).default('as-is'),
});
export type CumbreSettings = z.infer<typeof settingsSchema>;

export const readSettings = (get: (key: string) => unknown): CumbreSettings => {
  const raw = Object.fromEntries(
    Object.keys(settingsSchema.shape)
      .map((k): [string, unknown] => [k, get(k)])
      .filter(([, v]) => v !== undefined),
  );
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid CDK context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
};

/** A seed nobody could answer: its RSVP deadline is past. */
export class PastSeedDeadlineError extends Error {
  override name = 'PastSeedDeadlineError';
}

/**
 * The event a deploy seeds, or undefined for `seedFile=none`. A deploy that seeded an event whose
 * deadline has passed would refuse every answer, so the synth stops here with what to do instead.
 */
export const loadSeed = (settings: Pick<CumbreSettings, 'stage' | 'seedFile' | 'seedDates'>, root: string, now = new Date()): EventDefinition | undefined => {
  if (settings.seedFile === 'none') return undefined;
  const event = eventDefinitionSchema.parse(JSON.parse(readFileSync(`${root}${settings.seedFile}`, 'utf8')));
  const deadline = zonedLocalToUtc(event.rsvpDeadline, event.timezone);
  if (deadline.getTime() > now.getTime()) return event;
  if (settings.seedDates === 'shift-forward' && settings.stage !== 'prod') return shiftEventForward(event, now).event;
  throw new PastSeedDeadlineError(
    [
      `The seed event ${event.id} (${settings.seedFile}) closes RSVPs at ${event.rsvpDeadline} ${event.timezone}, which has passed: every answer would be refused.`,
      'Deploy your own event with -c seedFile=seed/<event>.json (deadline ahead), seed nothing with -c seedFile=none,',
      settings.stage === 'prod' ? 'and keep the 2019 summit for non-production stages.' : 'or seed the 2019 summit as a current example with -c seedDates=shift-forward.',
    ].join(' '),
  );
};
