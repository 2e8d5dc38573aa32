import * as z from 'zod';

/** Deployment settings, read from CDK context (`cdk.json` or `-c key=value`) and validated. */
export const settingsSchema = z.object({
  stage: z.string().regex(/^[a-z][a-z0-9-]{1,20}$/),
  senderEmail: z.email(),
  /** A custom domain for RSVP links; empty = the API's own URL. */
  publicBaseUrl: z.union([z.literal(''), z.url()]).default(''),
  allowedOrigins: z.array(z.string()).default([]),
  throttleRateLimit: z.coerce.number().int().positive(),
  throttleBurstLimit: z.coerce.number().int().positive(),
  maxReceiveCount: z.coerce.number().int().min(1).max(10),
  /** Where capacity alerts (80 %, 95 %, 100 %) go; empty = the sender address. */
  organizerAlertEmail: z.union([z.literal(''), z.email()]).default(''),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  seedFile: z.string().default('seed/na-mayors-summit-2019.json'),
});
export type CumbreSettings = z.infer<typeof settingsSchema>;

export const readSettings = (get: (key: string) => unknown): CumbreSettings => {
  const raw = Object.fromEntries(Object.keys(settingsSchema.shape).map((k) => [k, get(k)]).filter(([, v]) => v !== undefined));
  const parsed = settingsSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`Invalid CDK context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
};
