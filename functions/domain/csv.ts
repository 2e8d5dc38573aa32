/**
 * CSV for spreadsheets opened by organizers: RFC 4180 quoting, and cells that a spreadsheet would
 * run as a formula (`=`, `+`, `-`, `@`, tab, CR) are prefixed with `'` (OWASP CSV injection).
 */
export type CellValue = string | number | boolean | null | undefined | readonly (string | number)[];

const cell = (value: CellValue): string => {
  let s = value === undefined || value === null ? '' : Array.isArray(value) ? value.join(';') : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export const toCsv = (header: readonly string[], rows: ReadonlyArray<ReadonlyArray<CellValue>>): string =>
  [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
