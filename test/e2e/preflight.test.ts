import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PreflightError, startLocalCloud } from '../../local/index.js';

const fixture = path.resolve(import.meta.dirname, 'fixtures/cloud');
const options = { cdkOut: fixture, stackName: 'Fixture', synth: false as const, dataDir: path.join(os.tmpdir(), 'cumbre-preflight-unused'), quiet: true };
const path0 = process.env.PATH;

afterEach(() => {
  process.env.PATH = path0;
});

describe('preflight', () => {
  it('says in one line that a port is taken, and what to do', async () => {
    // Prepare
    const server = net.createServer().listen(0);
    await new Promise((r) => server.once('listening', r));
    const port = (server.address() as net.AddressInfo).port;
    // Act
    const start = startLocalCloud({ ...options, ports: { api: port, mail: 0, dynamodb: 0, sqs: 0, cognito: 0, secrets: 0 } });
    // Assess
    await expect(start).rejects.toThrow(PreflightError);
    await expect(start).rejects.toThrow(new RegExp(`^Port ${port} \\(the API gateway\\) is already in use: .*CUMBRE_PORTS=auto\\.$`));
    server.close();
  });

  it('says in one line that Java is missing, and how to install it', async () => {
    process.env.PATH = '/nonexistent';
    const start = startLocalCloud({ ...options, ports: 'auto' });
    await expect(start).rejects.toThrow(PreflightError);
    await expect(start).rejects.toThrow(/^Java is not installed \(DynamoDB Local needs it\): install a JRE 17\+/);
  });
});
