import type { CompanionRole, ResponseStatus } from '#domain/model.js';
import type { ChangedField, DeliveryState, ImportField } from '#domain/organizer-api.js';
import type { CumbreEventType } from '#domain/outbox.js';
import { translator, type Catalogues } from '../format.js';
import { en } from './en.js';
import { es, type DashboardKey } from './es.js';
import { fr } from './fr.js';

export type { DashboardKey };
export const dashboardCatalogues: Catalogues<DashboardKey> = { es, en, fr };
/** `dashboardText(language)('key', values)`: formats one message of this catalogue. */
export const dashboardText = translator(dashboardCatalogues);

/**
 * Keys named after the domain's own lists (categories, statuses, topics, delivery states, history
 * changes, import columns): the dashboard builds them from values the API sends.
 */
export type DashboardListKey =
  | `status.${ResponseStatus}`
  | `short.${ResponseStatus}`
  | `delivery.${DeliveryState | 'none' | 'unknown'}`
  | `history.${CumbreEventType}`
  | `field.${ChangedField | 'other'}`
  | `importError.${ImportField | 'csv' | 'other'}`
  | `accreditation.${'onFile' | 'none'}`
  | `companionRole.${CompanionRole}`
  | `clearance.${'cleared' | 'refused' | 'pending'}`;

/** A new category, topic, state or change type without a text fails typecheck here (es is the source of the keys). */
const everyListHasTexts: typeof es extends Record<DashboardListKey, string> ? true : never = true;
void everyListHasTexts;
