/**
 * SES message tags (names and values) allow only ASCII letters, digits, `_` and `-`, at most 256
 * characters; anything else is a `BadRequestException`, i.e. a rejected email. Email ids carry `:`
 * and the `.` of ISO times, so every value goes through here.
 */
export const tagValue = (value: string) => value.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256) || '_';

/** The tags of every email Cumbre sends; the feedback worker reads eventId and invitationId back. */
export const messageTags = (tags: { emailId: string; eventId: string; invitationId: string; kind: string }): Record<string, string> =>
  Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, tagValue(v)]));
