import { randomInt, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import http from 'node:http';
import type { Log } from '../log.js';
import { BadStateFileError, writeFileAtomic } from '../state-files.js';
import { text } from '../template.js';

/** `AWS::SecretsManager::Secret.GenerateSecretString`, as CloudFormation documents it. */
export interface GenerateSecretString {
  PasswordLength?: number;
  ExcludeCharacters?: string;
  ExcludeLowercase?: boolean;
  ExcludeUppercase?: boolean;
  ExcludeNumbers?: boolean;
  ExcludePunctuation?: boolean;
  IncludeSpace?: boolean;
  RequireEachIncludedType?: boolean;
  SecretStringTemplate?: string;
  GenerateStringKey?: string;
}

const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const UPPER = LOWER.toUpperCase();
const DIGITS = '0123456789';
const PUNCTUATION = '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~';

/** Generates a secret string the way Secrets Manager's GetRandomPassword does, with node:crypto. */
export const generateSecretString = (spec: GenerateSecretString = {}): string => {
  const exclude = new Set(spec.ExcludeCharacters ?? '');
  const sets = [
    spec.ExcludeLowercase ? '' : LOWER,
    spec.ExcludeUppercase ? '' : UPPER,
    spec.ExcludeNumbers ? '' : DIGITS,
    spec.ExcludePunctuation ? '' : PUNCTUATION,
    spec.IncludeSpace ? ' ' : '',
  ]
    .map((s) => [...s].filter((c) => !exclude.has(c)).join(''))
    .filter(Boolean);
  const all = sets.join('');
  if (!all) throw new Error('GenerateSecretString excludes every character');
  const length = spec.PasswordLength ?? 32;
  const pick = (chars: string) => chars[randomInt(chars.length)];
  let chars: string[];
  do {
    chars = Array.from({ length }, () => pick(all));
  } while (spec.RequireEachIncludedType !== false && length >= sets.length && !sets.every((s) => chars.some((c) => s.includes(c))));
  const password = chars.join('');
  if (spec.SecretStringTemplate !== undefined && spec.GenerateStringKey) {
    return JSON.stringify({ ...(JSON.parse(spec.SecretStringTemplate) as object), [spec.GenerateStringKey]: password });
  }
  return password;
};

export interface StoredSecret {
  arn: string;
  name: string;
  secretString: string;
  versionId: string;
  createdDate: number;
}

/**
 * A Secrets Manager endpoint speaking the AWS JSON 1.1 protocol for what functions do at cold
 * start (GetSecretValue, DescribeSecret). Values live in one JSON file so a restart keeps them.
 */
export class SecretsEmulator {
  private secrets = new Map<string, StoredSecret>();
  private server?: http.Server;
  url = '';

  constructor(
    private readonly file: string,
    private readonly log: Log,
  ) {}

  async load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return;
    }
    let stored: StoredSecret[];
    try {
      stored = JSON.parse(text) as StoredSecret[];
    } catch (err) {
      // Not recovered silently: a new app secret would change every RSVP link and badge key.
      throw new BadStateFileError(this.file, err, 'restore it from a backup, or delete it to generate new secrets (every RSVP link then changes)');
    }
    for (const s of stored) this.secrets.set(s.name, s);
  }

  /** Returns the stored secret for this name, creating it on first start only. */
  async ensure(name: string, arnPrefix: string, value: () => string): Promise<StoredSecret> {
    const existing = this.secrets.get(name);
    if (existing) return existing;
    // Secrets Manager appends six random characters to the name in the ARN.
    const suffix = Array.from({ length: 6 }, () => (LOWER + UPPER + DIGITS)[randomInt(62)]).join('');
    const secret: StoredSecret = { arn: `${arnPrefix}${name}-${suffix}`, name, secretString: value(), versionId: randomUUID(), createdDate: Date.now() / 1000 };
    this.secrets.set(name, secret);
    await writeFileAtomic(this.file, JSON.stringify([...this.secrets.values()], null, 2));
    return secret;
  }

  find(id: string): StoredSecret | undefined {
    for (const s of this.secrets.values()) {
      if (id === s.arn || id === s.name || s.arn.startsWith(`${id}-`) || id.endsWith(`:secret:${s.name}`)) return s;
    }
    return undefined;
  }

  private handle(target: string, body: Record<string, unknown>): [number, unknown] {
    const op = target.replace(/^secretsmanager\./, '');
    if (op !== 'GetSecretValue' && op !== 'DescribeSecret') {
      return [400, { __type: 'UnknownOperationException', message: `${op} is not emulated locally (GetSecretValue, DescribeSecret are)` }];
    }
    const secret = this.find(text(body.SecretId, ''));
    if (!secret) return [400, { __type: 'ResourceNotFoundException', Message: "Secrets Manager can't find the specified secret." }];
    const stages = { [secret.versionId]: ['AWSCURRENT'] };
    if (op === 'DescribeSecret') return [200, { ARN: secret.arn, Name: secret.name, CreatedDate: secret.createdDate, VersionIdsToStages: stages }];
    return [
      200,
      { ARN: secret.arn, Name: secret.name, SecretString: secret.secretString, VersionId: secret.versionId, VersionStages: ['AWSCURRENT'], CreatedDate: secret.createdDate },
    ];
  }

  async start(port: number): Promise<string> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        let status: number;
        let payload: unknown;
        try {
          [status, payload] = this.handle(target, JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<string, unknown>);
        } catch {
          [status, payload] = [400, { __type: 'SerializationException', message: 'request body is not JSON' }];
        }
        this.log.debug('secrets-manager', `${target} → ${status}`);
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
        res.end(JSON.stringify(payload));
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', () => resolve());
    });
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this.url;
  }

  stop(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
