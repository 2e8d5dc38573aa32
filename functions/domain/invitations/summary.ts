import type { Invitation } from '../model.js';
import type { InvitationSummary } from '../organizer-api.js';

export type { InvitationSummary };

/**
 * An invitation as organizers see it: without its token hash, nonce and retired links. Apart from
 * the listing (list.ts) so that the functions showing one invitation do not build the listing's
 * query schema.
 */
export const toSummary = ({ tokenHash: _h, tokenNonce: _n, retiredLinks: _r, ...rest }: Invitation): InvitationSummary => rest;
