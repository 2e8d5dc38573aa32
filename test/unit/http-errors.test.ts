import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DomainError } from '#domain/errors.js';
import { HTTP_STATUS_BY_CODE, httpStatusOf } from '#shared/http.js';

/**
 * The domain's errors carry a code and no HTTP status; `functions/shared/http.ts` maps codes to
 * statuses. Every DomainError subclass in functions/ (found by reading the sources, not from a list
 * kept here) must have a mapping, or it would answer 500.
 */
const ROOT = fileURLToPath(new URL('../../functions/', import.meta.url));
const sources = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });

const domainErrorClasses = async () => {
  const found: Array<{ file: string; name: string; cls: new (...args: unknown[]) => DomainError }> = [];
  for (const file of sources(ROOT)) {
    const names = [...readFileSync(file, 'utf8').matchAll(/export class (\w+) extends DomainError/g)].map((m) => m[1]);
    if (!names.length) continue;
    const mod = (await import(file)) as Record<string, new (...args: unknown[]) => DomainError>;
    for (const name of names) found.push({ file: relative(ROOT, file), name, cls: mod[name] });
  }
  return found;
};

describe('domain errors and HTTP', () => {
  // It imports every module that declares a domain error: seconds on a loaded machine.
  it('gives every DomainError subclass a mapped status and no status of its own', { timeout: 30_000 }, async () => {
    const classes = await domainErrorClasses();
    expect(classes.length).toBeGreaterThanOrEqual(17);
    for (const { file, name, cls } of classes) {
      const err = new cls([], []);
      expect(err, `${file}: ${name}`).toBeInstanceOf(DomainError);
      expect(Object.keys(HTTP_STATUS_BY_CODE), `${file}: ${name} (${err.code})`).toContain(err.code);
      expect(err).not.toHaveProperty('status');
    }
  });

  it('answers an unmapped code with 500', () => {
    class Unmapped extends DomainError {
      readonly code = 'not_in_the_table';
    }
    expect(httpStatusOf(new Unmapped('x'))).toBe(500);
  });
});
