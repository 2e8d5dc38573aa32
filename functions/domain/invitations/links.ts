/**
 * An invitee's RSVP link. Its own module: the email senders, organizer edits and invitation
 * details need only this, and taking it from invitations.ts built the import schema (and
 * csv-parse) into their cold starts.
 */
export const rsvpUrlFor = (baseUrl: string, token: string) => `${baseUrl.replace(/\/+$/, '')}/rsvp/${token}`;
