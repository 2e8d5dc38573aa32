import * as z from 'zod';

/**
 * Reads a function's configuration from its environment at cold start. A missing or malformed
 * variable fails the cold start with every problem named, instead of surfacing as an empty string
 * in the middle of a request.
 */
export const loadConfig = <S extends z.ZodType>(schema: S, env: Record<string, string | undefined> = process.env): z.infer<S> => {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid function configuration: ${problems}`);
  }
  return parsed.data;
};

export const tableConfig = z.object({ TABLE_NAME: z.string().min(3) });
export const accreditationConfig = z.object({ ACCREDITATION_TABLE: z.string().min(3) });
export const auditConfig = z.object({ AUDIT_TABLE: z.string().min(3) });
export const secretConfig = z.object({ SECRET_ARN: z.string().min(1) });
export const publicUrlConfig = z.object({ PUBLIC_BASE_URL: z.url() });

const queueUrl = z.url();
/** A queue worker's own queue (set by the QueueWorker construct), to hand a message back for a while. */
export const ownQueueConfig = z.object({ QUEUE_URL: queueUrl });
export const workQueuesConfig = z.object({ EMAIL_QUEUE_URL: queueUrl, BADGE_QUEUE_URL: queueUrl, CAPACITY_QUEUE_URL: queueUrl });
/** Where a badge link asks for a lost badge to be rendered again. */
export const badgeQueueConfig = z.object({ BADGE_QUEUE_URL: queueUrl });
export const badgeBucketConfig = z.object({ BADGE_BUCKET: z.string().min(3) });
export const emailConfig = z.object({
  SENDER_EMAIL: z.email(),
  SENDER_NAME: z.string().min(1).default('Cumbre'),
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** Seconds a worker may hold an email before another assumes it died; at least the function timeout. */
  EMAIL_LEASE_SECONDS: z.coerce.number().int().positive().default(120),
  /** CloudWatch namespace of the mailer's metrics (EmailsRejected), one per stack. */
  POWERTOOLS_METRICS_NAMESPACE: z.string().min(1).default('Cumbre'),
});
