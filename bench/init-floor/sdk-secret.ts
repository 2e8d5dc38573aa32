// The floor of the init of a function that holds the app secret (bench/run.ts, "Module init"): the
// SDK floor (./sdk.ts) and the secret's fetch, as `loadAppKeys` makes it at every cold start.
import { loadAppKeys } from '../../functions/shared/app-keys.js';
export { handler } from './sdk.js';

const secretArn = process.env.SECRET_ARN;
if (!secretArn) throw new Error('SECRET_ARN is not set');
export const keys = await loadAppKeys(secretArn);
