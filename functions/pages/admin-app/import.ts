import type { FieldIssue } from '#domain/errors.js';
import type { ImportResponse } from '#domain/organizer-api.js';
import { ApiError, type OrganizerApi } from './api.js';
import { reason } from './invitations.js';
import { byId, clear, el } from './dom.js';
import { countryName, eventOutline, fileName, LANGUAGE, languageName, listOf, t, tOr } from './messages.js';
import { download } from './exports.js';
import { toCsv } from '#domain/csv.js';
import { COLUMN_NAMES, columnHeadings } from '#domain/invitations/spreadsheet.js';
import type { ImportField } from '#domain/organizer-api.js';

const counts = ({ created, updated, unchanged }: ImportResponse) => ({ created, updated, unchanged });

/**
 * What a field of the file must hold, in the organizer's language. The API's own message is
 * English for the log; the column (first segment of the field, e.g. `sessions.0`) picks the text.
 */
export const importMessage = (issue: FieldIssue) => {
  const column = issue.field.split('.')[0];
  const names = column === 'category' ? eventOutline()?.categories : eventOutline()?.sessions.filter((s) => !s.cancelled);
  return tOr(`importError.${column}`, 'importError.other', {
    codes: listOf((names ?? []).map((n) => n.name[LANGUAGE])),
    columns: columnNames().join(', '),
  });
};

/** The columns' headings in the page's language, in the file's order. */
const columnNames = () => columnHeadings(LANGUAGE);
/** A refused field's column by its heading in the page's language ("país"); the file itself by its label. */
const columnName = (field: string) => COLUMN_NAMES[field.split('.')[0] as ImportField]?.[LANGUAGE] ?? t('importFile');

/**
 * A file to fill in, in the page's language: the headings, then one example row with this event's
 * names (a country, its first category, the page's language, every session), written for a
 * spreadsheet (byte order mark, so "México" reads right).
 */
/** A country an invitee writing the page's language may come from. */
const EXAMPLE_COUNTRY = { es: 'MX', en: 'US', fr: 'CA' } as const;

const template = () => {
  const event = eventOutline();
  const sessions = (event?.sessions ?? []).filter((s) => !s.cancelled);
  const example: Record<ImportField, string | number> = {
    email: t('templateEmail'),
    name: t('templateName'),
    title: t('templateTitle'),
    organization: t('templateOrganization'),
    country: countryName(EXAMPLE_COUNTRY[LANGUAGE]),
    category: event?.categories[0]?.name[LANGUAGE] ?? '',
    language: languageName(LANGUAGE),
    sessions: sessions.map((s) => s.name[LANGUAGE]).join('; '),
    guests: 0,
  };
  const fields = Object.keys(COLUMN_NAMES) as ImportField[];
  return new Blob(['\uFEFF', toCsv(columnNames(), [fields.map((f) => example[f])])], { type: 'text/csv;charset=utf-8' });
};

const errorsTable = (details: FieldIssue[]) =>
  el(
    'div',
    { class: 'table-wrap' },
    el(
      'table',
      { id: 'import-errors' },
      el('thead', {}, el('tr', {}, el('th', { scope: 'col' }, t('colRow')), el('th', { scope: 'col' }, t('colField')), el('th', { scope: 'col' }, t('colMessage')))),
      el(
        'tbody',
        {},
        details.map((d) => el('tr', {}, el('td', {}, d.row ?? ''), el('td', {}, columnName(d.field)), el('td', {}, importMessage(d)))),
      ),
    ),
  );

/** A refusal of the file: the summary line, then its rows and fields when the API named them. */
const refusal = (err: unknown, out: HTMLElement, previewing: boolean) => {
  if (!(err instanceof ApiError)) throw err;
  const details = err.body.details;
  if (previewing && details) out.appendChild(el('p', { class: 'error-message', id: 'import-preview-errors' }, t('previewErrors')));
  else out.appendChild(el('p', { class: 'error-message', ...(previewing ? { id: 'import-preview-errors' } : {}) }, t('failed', { message: reason(err) })));
  if (details) out.appendChild(errorsTable(details));
};

/**
 * CSV import with a preview: the file is checked with `?dryRun=true` first (nothing is written),
 * and only a file that passed can be imported.
 */
export const importView = (api: OrganizerApi, onImported: () => void, onError: (err: unknown) => void) => {
  const input = byId<HTMLInputElement>('import-file');
  const commit = byId<HTMLButtonElement>('import-commit');
  const out = byId('import-result');
  let checked: string | undefined;

  byId('import-template').addEventListener('click', () => download(template(), fileName('importTemplate')));

  input.addEventListener('change', () => {
    checked = undefined;
    commit.disabled = true;
    clear(out);
  });

  byId<HTMLFormElement>('import-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const file = input.files?.[0];
    clear(out);
    checked = undefined;
    commit.disabled = true;
    if (!file) return;
    out.appendChild(el('p', {}, t('loading')));
    file
      .text()
      .then(async (csv) => {
        try {
          const preview = await api.importCsv(csv, true);
          clear(out);
          checked = csv;
          commit.disabled = false;
          out.appendChild(el('p', { class: 'notice', id: 'import-preview-ok' }, t('previewOk', counts(preview))));
        } catch (err) {
          clear(out);
          refusal(err, out, true);
        }
      })
      .catch(onError);
  });

  commit.addEventListener('click', () => {
    if (!checked) return;
    const csv = checked;
    clear(out);
    commit.disabled = true;
    api
      .importCsv(csv, false)
      .then(
        (done) => {
          out.appendChild(el('p', { class: 'notice', id: 'import-done' }, t('imported', counts(done))));
          checked = undefined;
          onImported();
        },
        (err: unknown) => refusal(err, out, false),
      )
      .catch(onError);
  });
};
