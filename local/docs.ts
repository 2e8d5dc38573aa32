/**
 * Rewrites the local cloud's tables in the README and docs/local-cloud.md from local/support.ts,
 * between `<!-- local-cloud:emulated -->` / `<!-- local-cloud:not-emulated -->` and their closing
 * markers. `tsx local/docs.ts`; the e2e coverage test fails when they are stale.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderEmulatedTable, renderNotEmulatedTable } from './support.js';

const root = path.resolve(import.meta.dirname, '..');
const sections: Record<string, string> = { emulated: renderEmulatedTable(), 'not-emulated': renderNotEmulatedTable() };

for (const file of ['README.md', 'docs/local-cloud.md']) {
  const full = path.join(root, file);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch {
    continue;
  }
  let changed = text;
  for (const [name, table] of Object.entries(sections)) {
    const re = new RegExp(`(<!-- local-cloud:${name} -->\\n)[\\s\\S]*?(\\n<!-- /local-cloud:${name} -->)`);
    changed = changed.replace(re, `$1${table}$2`);
  }
  if (changed !== text) {
    await writeFile(full, changed);
    process.stdout.write(`updated ${file}\n`);
  }
}
