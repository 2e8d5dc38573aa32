/**
 * SES message tags (names and values) allow only ASCII letters, digits, `_` and `-`, at most 256
 * characters; anything else is a `BadRequestException`, i.e. a rejected email. Email ids carry `:`
 * and the `.` of ISO times, so every value goes through here.
 */
export const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';

/**
 * The tags of every email Cumbre sends; the feedback worker reads eventId, invitationId and `of`
 * (when what the email tells of happened, as epoch milliseconds: an ISO time's `:` is not allowed)
 * back.
 */
export const messageTags = ({ of, ...tags }: { emailId: string; eventId: string; invitationId: string; kind: string; of?: string }): Record<string, string> => ({
  ...Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, tagValue(v)])),
  ...(of ? { of: String(Date.parse(of)) } : {}),
});

/** The `of` tag read back as an ISO time; undefined when absent or not a time. */
export const ofTag = (value: string | undefined): string | undefined => (value && /^\d{1,15}$/.test(value) ? new Date(Number(value)).toISOString() : undefined);
