import type { OrganizerApi } from './api.js';
import { byId, el } from './dom.js';
import { failure, openLink } from './invitations.js';
import { fileName, LANGUAGE, t } from './messages.js';

/** Hands a fetched file to the browser as a download. */
export const download = (blob: Blob, name: string) => {
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  setTimeout(() => {
    URL.revokeObjectURL(url);
    a.remove();
  }, 1000);
};

type ExportKind = 'attendees' | 'accreditation' | 'checkin' | 'badges';
const PATHS = { attendees: '/attendees.csv', accreditation: '/accreditation', checkin: '/checkin.csv' } as const;

/**
 * Exports: CSVs fetched with the token and saved, written in the dashboard's language (`?lang=`:
 * headers, statuses and names, the venue's clock) and saved under a name in those words; the badge
 * sheet is a short-lived link.
 */
export const exportsView = (api: OrganizerApi) => {
  const status = byId('export-status');
  for (const button of document.querySelectorAll<HTMLButtonElement>('[data-download]')) {
    button.addEventListener('click', () => {
      const kind = button.dataset.download as ExportKind;
      status.textContent = t('loading');
      const done = kind === 'badges' ? openLink(api.badgeSheetLink(LANGUAGE)) : api.file(`${PATHS[kind]}?lang=${LANGUAGE}`).then((blob) => download(blob, fileName(kind)));
      done.then(
        () => (status.textContent = ''),
        (err: unknown) => (status.textContent = failure(err)),
      );
    });
  }
};
