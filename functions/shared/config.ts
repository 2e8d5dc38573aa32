import * as z from '#domain/zod.js';

type Part = z.ZodMiniObject;
/** A union's members as one intersection (`A | B` → `A & B`). */
type Intersection<U> = (U extends unknown ? (k: U) => void : never) extends (k: infer I) => void ? I : never;
/** Every part's output in one object. */
type Merged<P extends readonly Part[]> = Intersection<{ [K in keyof P]: z.infer<P[K]> }[number]>;

/**
 * Reads a function's configuration from its environment at cold start: the parts it needs (below, or
 * its own `z.object`s) as one object. A missing or malformed variable fails the cold start with every
 * problem named, instead of surfacing as an empty string in the middle of a request.
 */
export const loadConfig = <P extends readonly [Part, ...Part[]]>(...parts: P): Merged<P> => {
  const schema = z.object(Object.assign({}, ...parts.map((p) => p.shape)) as z.core.$ZodShape);
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid function configuration: ${problems}`);
  }
  return parsed.data as Merged<P>;
};

export const tableConfig = z.object({ TABLE_NAME: z.string().check(z.minLength(3)) });
export const accreditationConfig = z.object({ ACCREDITATION_TABLE: z.string().check(z.minLength(3)) });
export const auditConfig = z.object({ AUDIT_TABLE: z.string().check(z.minLength(3)) });
export const secretConfig = z.object({ SECRET_ARN: z.string().check(z.minLength(1)) });
export const publicUrlConfig = z.object({ PUBLIC_BASE_URL: z.url() });

const queueUrl = z.url();
/** A queue worker's own queue (set by the QueueWorker construct), to hand a message back for a while. */
export const ownQueueConfig = z.object({ QUEUE_URL: queueUrl });
export const workQueuesConfig = z.object({ EMAIL_QUEUE_URL: queueUrl, BADGE_QUEUE_URL: queueUrl, CAPACITY_QUEUE_URL: queueUrl });
/** The email queue, for functions that queue emails for the email worker to send (reminders, group messages, capacity alerts). */
export const emailQueueConfig = z.object({ EMAIL_QUEUE_URL: queueUrl });
/** Where a badge link asks for a lost badge to be rendered again. */
export const badgeQueueConfig = z.object({ BADGE_QUEUE_URL: queueUrl });
export const badgeBucketConfig = z.object({ BADGE_BUCKET: z.string().check(z.minLength(3)) });
export const emailConfig = z.object({
  SENDER_EMAIL: z.email(),
  SENDER_NAME: z._default(z.string().check(z.minLength(1)), 'Cumbre'),
  SES_CONFIGURATION_SET: z.optional(z.string().check(z.minLength(1))),
  /** Seconds a worker may hold an email before another assumes it died; at least the function timeout. */
  EMAIL_LEASE_SECONDS: z._default(z.coerce.number().check(z.int(), z.positive()), 120),
  /** CloudWatch namespace of the mailer's metrics (EmailsRejected), one per stack. */
  POWERTOOLS_METRICS_NAMESPACE: z._default(z.string().check(z.minLength(1)), 'Cumbre'),
});
/** Who hears of capacity alerts, and in which language (the email worker sends them). */
export const organizerAlertConfig = z.object({ ORGANIZER_ALERT_EMAIL: z.email(), ORGANIZER_LANGUAGE: z._default(z.enum(['es', 'en', 'fr']), 'es') });
