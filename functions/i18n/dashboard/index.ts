import { translator, type Catalogues } from '../format.js';
import { en } from './en.js';
import { es, type DashboardKey } from './es.js';
import { fr } from './fr.js';

export type { DashboardKey };
export const dashboardCatalogues: Catalogues<DashboardKey> = { es, en, fr };
/** `dashboardText(language)('key', values)`: formats one message of this catalogue. */
export const dashboardText = translator(dashboardCatalogues);
