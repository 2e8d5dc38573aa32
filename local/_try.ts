import { startLocalCloud } from './index.js';
const c = await startLocalCloud({ cdkOut: '/tmp/exp/real/cdk.out', synth: process.env.SYNTH !== 'no' });
console.log('READY', c.startupMs, c.apiUrl, JSON.stringify(c.session).slice(0, 800));
await c.stop();
