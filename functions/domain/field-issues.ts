import type * as z from './zod.js';
import type { FieldIssue } from './errors.js';

// Apart from invitations.ts: every HTTP function reports validation errors through this, and
// importing it from there evaluated the invitation, outbox and model schemas (and csv-parse) at
// every cold start, in functions that never touch an invitation.

/** Turns zod issues into field issues with the row they came from. */
export const toFieldIssues = (error: z.core.$ZodError, row?: number, prefix = ''): FieldIssue[] =>
  error.issues.map((issue) => ({
    field: prefix + (issue.path.length ? issue.path.join('.') : ((issue as { keys?: string[] }).keys?.join(',') ?? 'body')),
    message: issue.code === 'unrecognized_keys' ? `unknown field ${(issue as { keys: string[] }).keys.join(', ')}` : issue.message,
    ...(row !== undefined ? { row } : {}),
  }));
