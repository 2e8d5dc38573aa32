#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from '../lib/app.js';

const app = new App();
buildApp(app);
// cdk-nag checks every synth and deploy. The local cloud passes `-c nag=false`: it adds nothing to
// the template, the infra tests enforce it, and it saves a few seconds of every `npm start`.
if (String(app.node.tryGetContext('nag') ?? 'true') !== 'false') Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
