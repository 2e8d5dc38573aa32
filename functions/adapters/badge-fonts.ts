import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BadgeFonts } from '../domain/badge/render.js';

const REGULAR = 'DejaVuSans.ttf';
const BOLD = 'DejaVuSans-Bold.ttf';

function candidateDirs(): string[] {
  const dirs: string[] = [];
  const fromEnv = process.env.BADGE_FONT_DIR;
  if (fromEnv) dirs.push(fromEnv);
  // Beside a Lambda bundle: the CDK bundling copies the two TTFs into fonts/ next to index.mjs.
  dirs.push(fileURLToPath(new URL('./fonts/', import.meta.url)));
  try {
    dirs.push(join(dirname(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/package.json')), 'ttf'));
  } catch {
    // Not installed (a bundle without node_modules): the other places must have them.
  }
  return dirs;
}

let loaded: BadgeFonts | undefined;

/**
 * Reads the badge fonts once per process. The same byte arrays must be handed to every render:
 * the renderer caches the parsed fonts by array identity, which is what keeps it fast (the font is parsed once, not per badge).
 */
export function loadBadgeFonts(): BadgeFonts {
  if (loaded) return loaded;
  const dirs = candidateDirs();
  const dir = dirs.find((d) => existsSync(join(d, REGULAR)) && existsSync(join(d, BOLD)));
  if (!dir) throw new Error(`Badge fonts ${REGULAR} and ${BOLD} not found in: ${dirs.join(', ')}`);
  loaded = {
    regular: new Uint8Array(readFileSync(join(dir, REGULAR))),
    bold: new Uint8Array(readFileSync(join(dir, BOLD))),
  };
  return loaded;
}
