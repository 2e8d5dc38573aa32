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
export const secretConfig = z.object({ SECRET_ARN: z.string().min(1) });
export const publicUrlConfig = z.object({ PUBLIC_BASE_URL: z.url() });
