import type { FieldIssue } from '#domain/errors.js';
import type { ImportResponse } from '#domain/organizer-api.js';
import { ApiError, type OrganizerApi } from './api.js';
import { reason } from './invitations.js';
import { byId, clear, el } from './dom.js';
import { catalogueKeys, eventOutline, t, tOr } from './messages.js';

const counts = ({ created, updated, unchanged }: ImportResponse) => ({ created, updated, unchanged });

/** Codes a message lists, read from the catalogue's own keys (typed after the domain's lists). */
const codesOf = (prefix: string, except: string[] = []) =>
  catalogueKeys()
    .filter((k) => k.startsWith(prefix))
    .map((k) => k.slice(prefix.length))
    .filter((k) => !except.includes(k));

/**
 * What a field of the file must hold, in the organizer's language. The API's own message is
 * English for the log; the column (first segment of the field, e.g. `sessions.0`) picks the text.
 */
export const importMessage = (issue: FieldIssue) => {
  const column = issue.field.split('.')[0];
  return tOr(`importError.${column}`, 'importError.other', {
    codes: column === 'category' ? (eventOutline()?.categories.map((c) => c.id) ?? []).join(', ') : (eventOutline()?.sessions.map((s) => s.id) ?? []).join(', '),
    columns: codesOf('importError.', ['csv', 'other']).join(','),
  });
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
        details.map((d) => el('tr', {}, el('td', {}, d.row ?? ''), el('td', {}, el('code', {}, d.field)), el('td', {}, importMessage(d)))),
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
