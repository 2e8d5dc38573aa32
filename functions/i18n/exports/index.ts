import type { Language } from '#domain/model.js';
import type { Catalogues } from '../format.js';
import { en } from './en.js';
import { es, type ExportKey } from './es.js';
import { fr } from './fr.js';

export type { ExportKey };
export const exportCatalogues: Catalogues<ExportKey> = { es, en, fr };

/**
 * `exportText(language)('export.name')`: one word of an organizer's CSV export. The words are plain
 * text, without ICU arguments (test/unit/i18n-catalogues.test.ts holds them to it), so this is a
 * lookup: the export functions carry a few KB of words, not intl-messageformat's 30 KB.
 */
export const exportText =
  (language: Language) =>
  (key: ExportKey): string =>
    exportCatalogues[language][key];
