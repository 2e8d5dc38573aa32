#!/usr/bin/env node
import { SQSClient } from '@aws-sdk/client-sqs';
import { parseArgs } from 'node:util';
import { moveMessages, RedriveError, sourceQueueOf } from '../scripts/redrive.js';

const USAGE = `npm run redrive -- <DLQ URL> [--to <queue URL>]
  Moves every message of a dead-letter queue back to the queue it came from (found by its redrive
  policy, or --to), once the cause is fixed. On AWS, SQS's own redrive does the same (README, Ops);
  this is for the local cloud, whose SQS (fauxqs) lacks it. A URL on 127.0.0.1 or *.localhost is the
  local cloud's: its endpoint and credentials are used; otherwise the AWS SDK's usual chain.`;

const { values, positionals } = parseArgs({ allowPositionals: true, options: { to: { type: 'string' }, help: { type: 'boolean' } } });
const dlq = positionals[0];
if (values.help || !dlq || positionals.length > 1) {
  console.error(USAGE);
  process.exit(values.help ? 0 : 2);
}

// fauxqs names its queues http://sqs.<region>.localhost:<port>/…; it listens on 127.0.0.1.
const url = new URL(dlq);
const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname.endsWith('.localhost');
const sqs = new SQSClient(
  local
    ? {
        endpoint: `http://127.0.0.1:${url.port}`,
        region: /^sqs\.([a-z0-9-]+)\.localhost$/.exec(url.hostname)?.[1] ?? process.env.AWS_REGION ?? 'us-east-1',
        credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      }
    : {},
);
try {
  const to = values.to ?? (await sourceQueueOf(sqs, dlq));
  const moved = await moveMessages(sqs, dlq, to);
  console.log(`${moved} message(s) moved from ${dlq} to ${to}.`);
} catch (err) {
  console.error(err instanceof RedriveError ? `redrive: ${err.message}` : (err as Error).stack);
  process.exit(1);
}
