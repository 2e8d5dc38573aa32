import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Log } from './log.js';
import type { Settings } from './options.js';
import { writeFileAtomic } from './state-files.js';

const require = createRequire(import.meta.url);

/** `cdk synth` failed: its own output says why. */
export class SynthError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SynthError';
  }
}

const SYNTH_INPUTS = ['bin', 'lib', 'functions', 'seed', 'cdk.json', 'package.json', 'package-lock.json', 'tsconfig.json'];

/**
 * A hash of everything `cdk synth` reads (sources, seed data, cdk.json, the lockfile, CDK_*
 * variables) plus the template it produced: equal hashes mean the assembly is what a synth
 * would produce now, so the start can skip the 10 s synth without any chance of drift.
 */
export const synthInputsHash = async (root: string, templatePath: string): Promise<string> => {
  const hash = createHash('sha256');
  const walk = async (rel: string): Promise<void> => {
    const full = path.join(root, rel);
    let entries: Dirent[];
    try {
      entries = await readdir(full, { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') {
        hash.update(`${rel}\0`).update(await readFile(full));
        return;
      }
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      await walk(path.join(rel, e.name));
    }
  };
  for (const input of SYNTH_INPUTS) await walk(input);
  for (const [k, v] of Object.entries(process.env)
    .filter(([k]) => k.startsWith('CDK_'))
    .sort())
    hash.update(`${k}=${v}\0`);
  hash.update(await readFile(templatePath).catch(() => Buffer.from('no template')));
  return hash.digest('hex');
};

/** Runs the CDK CLI the way `npx cdk synth` does, without npx's start-up cost. */
export const synthesize = async (opts: { root: string; cdkOut: string; log: Log; signal?: AbortSignal }): Promise<number> => {
  const started = Date.now();
  const cli = path.join(path.dirname(require.resolve('aws-cdk/package.json')), 'bin', 'cdk');
  const args = [cli, 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--context', 'nag=false', '--output', opts.cdkOut];
  const output: string[] = [];
  const code = await new Promise<number>((resolveExit, reject) => {
    // local/bin/npx short-cuts the per-function `npx --no-install esbuild` (see the script).
    const env = {
      ...process.env,
      CDK_DISABLE_CLI_TELEMETRY: 'true',
      FORCE_COLOR: '0',
      CUMBRE_ROOT: opts.root,
      CUMBRE_REAL_PATH: process.env.PATH ?? '',
      PATH: `${path.join(opts.root, 'local', 'bin')}${path.delimiter}${process.env.PATH ?? ''}`,
    };
    const child = spawn(process.execPath, args, { cwd: opts.root, env, stdio: ['ignore', 'pipe', 'pipe'], signal: opts.signal });
    child.stdout.on('data', (d: Buffer) => output.push(d.toString()));
    child.stderr.on('data', (d: Buffer) => output.push(d.toString()));
    child.on('error', (err) => (opts.signal?.aborted ? resolveExit(130) : reject(err)));
    child.on('exit', (c) => resolveExit(c ?? 1));
  });
  if (code !== 0) throw new SynthError(`cdk synth failed (exit ${code}):\n${output.join('').trim().split('\n').slice(-40).join('\n')}`);
  const ms = Date.now() - started;
  opts.log.info('cdk', `synthesized into ${path.relative(opts.root, opts.cdkOut) || opts.cdkOut} in ${(ms / 1000).toFixed(1)} s`);
  return ms;
};

/** Synthesizes unless the settings say never, or (auto) nothing `cdk synth` reads has changed. */
export const synthIfNeeded = async (s: Settings, signal?: AbortSignal): Promise<void> => {
  if (s.synthMode === false) return;
  const stampFile = path.join(s.cdkOut, '.cumbre-synth-inputs');
  const templateFile = path.join(s.cdkOut, `${s.stackName}.template.json`);
  const shown = path.relative(s.root, s.cdkOut) || s.cdkOut;
  if (s.synthMode === 'auto') {
    const [now, stamped] = await Promise.all([synthInputsHash(s.root, templateFile), readFile(stampFile, 'utf8').catch(() => '')]);
    if (now === stamped) {
      s.log.info('cdk', `${shown} is up to date (nothing cdk synth reads has changed): synth skipped`);
      return;
    }
  }
  s.log.info('cdk', s.synthMode === 'auto' ? 'synthesizing the app (its sources changed since the last synth)…' : 'synthesizing the app…');
  await synthesize({ root: s.root, cdkOut: s.cdkOut, log: s.log, signal });
  if (signal?.aborted) return;
  await writeFileAtomic(stampFile, await synthInputsHash(s.root, templateFile), 0o644);
};
