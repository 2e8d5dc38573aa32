/**
 * Languages an invitee can be written to in. The order is the fallback order for missing texts.
 * A module of its own, without zod: the dashboard's script takes the list, not the schemas of
 * model.ts (which re-exports it).
 */
export const LANGUAGES = ['es', 'en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
