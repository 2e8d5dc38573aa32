import { translator, type Catalogues } from '../format.js';
import { en } from './en.js';
import { es, type InviteeKey } from './es.js';
import { fr } from './fr.js';

export type { InviteeKey };
export const inviteeCatalogues: Catalogues<InviteeKey> = { es, en, fr };
/** `inviteeText(language)('key', values)`: formats one message of this catalogue. */
export const inviteeText = translator(inviteeCatalogues);
