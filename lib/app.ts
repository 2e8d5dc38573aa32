import { fileURLToPath } from 'node:url';
import type { App } from 'aws-cdk-lib';
import { CumbreStack } from './cumbre-stack.js';
import { loadSeed, readSettings } from './settings.js';

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** Builds the one stack, `Cumbre-<stage>`, from context settings and the seed file (checked: its deadline lies ahead). */
export const buildApp = (app: App, now = new Date()) => {
  const settings = readSettings((k) => app.node.tryGetContext(k));
  const seed = loadSeed(settings, ROOT, now);
  return new CumbreStack(app, `Cumbre-${settings.stage}`, {
    settings,
    seedEvent: seed && JSON.stringify(seed),
    description: 'Cumbre: serverless invitations and RSVPs for summits',
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
};
