#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { runSmoke, SmokeError } from '../scripts/smoke.js';

const USAGE = `npm run smoke -- <ApiUrl> --to <address> [--username <u>] [--password <p>] [--event <id>] [--timeout <seconds>]
  username/password also from CUMBRE_SMOKE_USERNAME / CUMBRE_SMOKE_PASSWORD; --to from CUMBRE_SMOKE_TO;
  --event defaults to na-mayors-summit-2019 (the seeded example).`;

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    to: { type: 'string' },
    username: { type: 'string' },
    password: { type: 'string' },
    event: { type: 'string' },
    timeout: { type: 'string' },
    help: { type: 'boolean' },
  },
});
const apiUrl = positionals[0];
const username = values.username ?? process.env.CUMBRE_SMOKE_USERNAME;
const password = values.password ?? process.env.CUMBRE_SMOKE_PASSWORD;
const to = values.to ?? process.env.CUMBRE_SMOKE_TO;
if (values.help || !apiUrl || !username || !password || !to) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

try {
  console.log(`Smoke test against ${apiUrl}`);
  const result = await runSmoke({
    apiUrl,
    username,
    password,
    to,
    eventId: values.event ?? 'na-mayors-summit-2019',
    timeoutMs: Number(values.timeout ?? 120) * 1000,
    report: (line) => console.log(`  ✓ ${line}`),
  });
  console.log(`All ${result.verified.length} checks passed. The test invitation ${result.invitationId} holds one seat in ${result.sessionId}.`);
} catch (err) {
  console.error(`  ✗ ${err instanceof SmokeError ? err.message : (err as Error).stack}`);
  process.exit(1);
}
