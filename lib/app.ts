import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { eventDefinitionSchema } from '../functions/domain/model.js';
import { CumbreStack } from './cumbre-stack.js';
import { readSettings } from './settings.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Builds the one stack, `Cumbre-<stage>`, from context settings and the seed file. */
export const buildApp = (app: App) => {
  const settings = readSettings((k) => app.node.tryGetContext(k));
  const seed = eventDefinitionSchema.parse(JSON.parse(readFileSync(`${ROOT}${settings.seedFile}`, 'utf8')));
  return new CumbreStack(app, `Cumbre-${settings.stage}`, {
    settings,
    seedEvent: JSON.stringify(seed),
    description: 'Cumbre: serverless invitations and RSVPs for summits',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
};
