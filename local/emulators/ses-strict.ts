import http from 'node:http';
import { text } from '../template.js';

/**
 * What SES v2 `SendEmail` refuses and aws-ses-v2-local accepts, so a message SES would bounce
 * back as `BadRequestException` fails the local cloud and `npm test` instead of the first deploy.
 * Sources (read 2026-11): the SES v2 API reference for `MessageTag` ("only ASCII letters,
 * numbers, underscores or dashes", "no more than 256 characters") and the SES quotas page
 * ("40 MB per message (after base64 encoding)" through the v2 API, "50 recipients per message",
 * a recipient being any To, CC or BCC address).
 */
export const SES_LIMITS = {
  tagPattern: /^[A-Za-z0-9_-]+$/,
  tagMaxLength: 256,
  /** The MIME message as SES receives it (attachments already base64 inside it). */
  messageMaxBytes: 40 * 1024 * 1024,
  recipientsMax: 50,
} as const;

export interface SesRefusal {
  /** The error code SES answers with, e.g. `BadRequestException`. */
  code: 'BadRequestException' | 'MessageRejected' | 'SendingPausedException';
  message: string;
}

interface SendEmailInput {
  Destination?: { ToAddresses?: string[]; CcAddresses?: string[]; BccAddresses?: string[] };
  EmailTags?: Array<{ Name?: unknown; Value?: unknown }>;
  Content?: { Raw?: { Data?: string }; Simple?: unknown; Template?: unknown };
}

/** Recipients named in a raw message's own To/Cc/Bcc headers (SES uses them when Destination is absent). */
const headerRecipients = (mime: string): number => {
  const head = mime.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  let count = 0;
  for (const line of unfolded.split(/\r?\n/)) {
    const m = /^(to|cc|bcc):(.*)$/i.exec(line);
    if (m) count += (m[2].match(/@/g) ?? []).length;
  }
  return count;
};

const badTag = (what: 'name' | 'value', tag: string): string | undefined => {
  if (tag.length === 0) return `Message tag ${what} must not be empty.`;
  if (tag.length > SES_LIMITS.tagMaxLength) return `Message tag ${what} '${tag.slice(0, 40)}…' is longer than ${SES_LIMITS.tagMaxLength} characters.`;
  if (!SES_LIMITS.tagPattern.test(tag)) return `Invalid message tag ${what} '${tag}': only ASCII letters, numbers, underscores (_) and dashes (-) are allowed.`;
  return undefined;
};

/** Checks a SES v2 SendEmail request body as SES would; undefined when SES would take it. */
export const refusalFor = (input: SendEmailInput): SesRefusal | undefined => {
  for (const tag of input.EmailTags ?? []) {
    const problem = badTag('name', text(tag.Name, '')) ?? badTag('value', text(tag.Value, ''));
    if (problem) return { code: 'BadRequestException', message: problem };
  }
  const raw = input.Content?.Raw?.Data;
  // The decoded size from the base64 length, without decoding 40 MB.
  const size = raw === undefined ? Buffer.byteLength(JSON.stringify(input.Content ?? {})) : Math.floor((raw.length * 3) / 4) - (raw.endsWith('==') ? 2 : raw.endsWith('=') ? 1 : 0);
  if (size > SES_LIMITS.messageMaxBytes)
    return { code: 'MessageRejected', message: `Message length is ${size} bytes, more than the ${SES_LIMITS.messageMaxBytes} bytes SES v2 accepts.` };
  const d = input.Destination;
  // Without a Destination, SES sends to the raw message's own headers (the first 64 KB hold them).
  const head = raw === undefined ? undefined : Buffer.from(raw.slice(0, 87_384), 'base64').toString('latin1');
  const recipients = d ? (d.ToAddresses?.length ?? 0) + (d.CcAddresses?.length ?? 0) + (d.BccAddresses?.length ?? 0) : head ? headerRecipients(head) : 0;
  if (recipients > SES_LIMITS.recipientsMax) return { code: 'BadRequestException', message: `Recipient count ${recipients} exceeds ${SES_LIMITS.recipientsMax}.` };
  return undefined;
};

const SEND_EMAIL = /^\/v2\/email\/outbound-emails\/?(\?.*)?$/;

/** What SES v2 answers every SendEmail while the account's sending is paused (the SES v2 API reference's `SendingPausedException`). */
export const SENDING_PAUSED: SesRefusal = {
  code: 'SendingPausedException',
  message: 'Sending is paused for this account. For more information, please check the AWS SES console.',
};

/**
 * A proxy in front of aws-ses-v2-local on `port`: SendEmail requests SES would refuse get SES's
 * error (status 400, `x-amzn-ErrorType`), everything else (the store, the mail page) passes through.
 * `pauseSending(true)` refuses every SendEmail as a paused account does, until `pauseSending(false)`.
 */
export const startStrictSes = async (opts: { port: number; backend: string }): Promise<{ server: http.Server; port: number; pauseSending: (paused: boolean) => void }> => {
  const backend = new URL(opts.backend);
  let paused = false;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (req.method === 'POST' && SEND_EMAIL.test(req.url ?? '')) {
        let refusal: SesRefusal | undefined;
        try {
          refusal = paused ? SENDING_PAUSED : refusalFor(JSON.parse(body.toString('utf8') || '{}') as SendEmailInput);
        } catch {
          refusal = { code: 'BadRequestException', message: 'The request body is not JSON.' };
        }
        if (refusal) {
          res.writeHead(400, { 'content-type': 'application/json', 'x-amzn-errortype': refusal.code });
          res.end(JSON.stringify({ __type: refusal.code, message: refusal.message }));
          return;
        }
      }
      const headers = { ...req.headers, host: backend.host, 'content-length': String(body.length) };
      const forward = http.request({ hostname: backend.hostname, port: backend.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (err) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`aws-ses-v2-local: ${err.message}`);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return { server, port: typeof address === 'object' && address ? address.port : opts.port, pauseSending: (value) => void (paused = value) };
};
