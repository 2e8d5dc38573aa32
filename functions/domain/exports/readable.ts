import { exportText, type ExportKey } from '#i18n/exports/index.js';
import type { CompanionRole, EventDefinition, Language, ResponseStatus } from '../model.js';
import { instantAsLocal, LOCALES } from '../time.js';

/** A column of an organizer's CSV export, named in the data format and, in the reader's, by `export.<column>` (functions/i18n/exports). */
export type ExportColumn = ExportKey extends infer K ? (K extends `export.${infer C}` ? C : never) : never;

export { exportLanguage } from './language.js';

/**
 * What an export's codes read as for a reader of `language` (the event's definition, or the door's
 * outline of it, which has no topics): the exports' catalogue (the words the
 * dashboard shows too), the event's names for its sessions, categories and topics, countries and
 * languages as the locale names them, and instants on the venue's clock. A code the event no longer
 * defines (a category removed since) is shown as it is stored rather than as nothing.
 */
type Named = ReadonlyArray<{ id: string; name: Record<Language, string> }>;

export const readableWords = (event: Pick<EventDefinition, 'timezone'> & { sessions: Named; categories: Named; topics?: Named }, language: Language) => {
  const t = exportText(language);
  const regions = new Intl.DisplayNames([LOCALES[language]], { type: 'region' });
  const languages = new Intl.DisplayNames([LOCALES[language]], { type: 'language' });
  const named = (list: Named, id: string) => list.find((x) => x.id === id)?.name[language] ?? id;
  return {
    header: (column: ExportColumn) => t(`export.${column}`),
    session: (id: string) => named(event.sessions, id),
    category: (id: string) => named(event.categories, id),
    topics: (ids: readonly string[]) => ids.map((id) => named(event.topics ?? [], id)),
    country: (code: string | undefined) => (code ? (regions.of(code) ?? code) : ''),
    language: (code: Language) => languages.of(code) ?? code,
    status: (status: ResponseStatus | 'revoked') => t(`status.${status}`),
    role: (role: CompanionRole | '' | undefined) => (role ? t(`companionRole.${role}`) : ''),
    clearance: (state: 'cleared' | 'refused' | 'pending') => t(`clearance.${state}`),
    yesNo: (value: boolean) => t(value ? 'export.yes' : 'export.no'),
    arrival: (arrived: boolean) => t(arrived ? 'export.arrived' : 'export.noShow'),
    time: (iso: string | undefined) => instantAsLocal(iso, event.timezone),
  };
};

export type ReadableWords = ReturnType<typeof readableWords>;
