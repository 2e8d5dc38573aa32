// Run by AppFunction after esbuild (`node trim-source-map.mjs <dir>/index.mjs.map`): keeps only the
// mappings into Cumbre's own sources. With `--enable-source-maps`, Node decodes a function's whole map
// at every cold start; ~90 % of it maps the SDK, zod and Powertools, whose frames nobody reads in a
// stack trace (they stay as index.mjs:line:col). A stack trace still names every functions/… line.
import { decode, encode } from '@jridgewell/sourcemap-codec';
import { readFileSync, writeFileSync } from 'node:fs';
import process from 'node:process';
import { pathToFileURL } from 'node:url';

/** The map with mappings, sources and names of dependencies (node_modules) left out. */
export const trimSourceMap = (map) => {
  const sources = [];
  const names = [];
  const sourceIndex = new Map();
  const nameIndex = new Map();
  const indexOf = (index, list, value) => {
    if (!index.has(value)) index.set(value, list.push(value) - 1);
    return index.get(value);
  };
  const lines = decode(map.mappings).map((segments) =>
    segments
      .filter((s) => s.length > 1 && !map.sources[s[1]].includes('node_modules/'))
      .map((s) => [s[0], indexOf(sourceIndex, sources, map.sources[s[1]]), s[2], s[3], ...(s.length === 5 ? [indexOf(nameIndex, names, map.names[s[4]])] : [])]),
  );
  return { version: 3, sources, names, mappings: encode(lines) };
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const file = process.argv[2];
  writeFileSync(file, JSON.stringify(trimSourceMap(JSON.parse(readFileSync(file, 'utf8')))));
}
