import { translator, type Catalogues } from '../format.js';
import { en } from './en.js';
import { es, type EmailKey } from './es.js';
import { fr } from './fr.js';

export type { EmailKey };
export const emailCatalogues: Catalogues<EmailKey> = { es, en, fr };
/** `emailText(language)('key', values)`: formats one message of this catalogue. */
export const emailText = translator(emailCatalogues);
