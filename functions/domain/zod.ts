import { config } from 'zod/mini';
import { en } from 'zod/locales';

/**
 * Zod for every Lambda bundle: the functional `zod/mini` API, with zod's English messages (the API's
 * field errors quote them). Classic zod builds every schema as an object carrying all its chainable
 * methods, and those methods pull the whole library into a bundle; that was ~90 KB and some 10–20 ms
 * of each function's cold start for a few dozen schemas. Import it as `import * as z from
 * '#domain/zod.js'` (or relatively) so esbuild keeps only what a bundle uses; `test/infra/bundles.test.ts`
 * checks that no bundle carries classic zod.
 */
config(en());

export * from 'zod/mini';
