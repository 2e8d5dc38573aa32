/** Characters no file system takes, and controls; runs of them become one space. */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this removes
const UNSAFE = /[\u0000-\u001f\u007f"*/:<>?\\|]+/g;

/**
 * A file named as people read it, never by an id: its parts (a person, the event, what the file
 * holds) joined by a dash, safe as a file name on every system — "María López – Cumbre de Alcaldes
 * de América del Norte.pdf", "Sommet des maires d’Amérique du Nord.ics". Empty parts are left out.
 */
export const fileNameOf = (parts: ReadonlyArray<string | undefined>, extension: 'pdf' | 'csv' | 'ics') =>
  `${parts
    .map((part) => (part ?? '').normalize('NFC').replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join(' – ')
    .slice(0, 180)}.${extension}`;
