import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Log } from '../log.js';

const require = createRequire(import.meta.url);

interface MailStore {
  emails: unknown[];
}

/**
 * aws-ses-v2-local keeps sent mail in memory, so the mail page emptied on every restart. The
 * mailbox keeps it in `<dataDir>/mail.jsonl`: each email is appended (one JSON line) the moment
 * the emulator stores it, and the file is read back into the emulator's store at start. "Clear"
 * on the mail page empties the file too.
 *
 * The emulator's store is one per Node process (a module singleton): the mailbox of the cloud
 * started last is the one written to, and stopping it detaches it.
 */
export class Mailbox {
  private detached = false;

  private constructor(
    readonly file: string,
    private readonly store: MailStore,
  ) {}

  static async open(dataDir: string, log: Log): Promise<Mailbox> {
    const { getStoreReadonly } = require('aws-ses-v2-local/dist/store.js') as { getStoreReadonly: () => MailStore };
    const file = path.join(dataDir, 'mail.jsonl');
    mkdirSync(dataDir, { recursive: true });
    const mailbox = new Mailbox(file, getStoreReadonly());
    mailbox.attach(await mailbox.load(log));
    return mailbox;
  }

  /** The emails kept in the file; a line cut short by a crash is named and skipped. */
  private async load(log: Log): Promise<unknown[]> {
    const text = await readFile(this.file, 'utf8').catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? '' : Promise.reject(err)));
    const emails: unknown[] = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      try {
        emails.push(JSON.parse(line));
      } catch {
        log.warn('mail', `${this.file} line ${i + 1} is not a whole email (cut short by a crash?): skipped`);
      }
    });
    if (emails.length) log.debug('mail', `${emails.length} email(s) restored from ${path.basename(this.file)}`);
    return emails;
  }

  /** Hooks the store's list so every push is appended to the file, and a cleared list empties it. */
  private attach(initial: unknown[]) {
    const wrap = (list: unknown[]) => {
      const push = list.push.bind(list);
      list.push = (...items: unknown[]) => {
        if (!this.detached) appendFileSync(this.file, items.map((e) => `${JSON.stringify(e)}\n`).join(''), { mode: 0o600 });
        return push(...items);
      };
      return list;
    };
    let emails = wrap([...initial]);
    Object.defineProperty(this.store, 'emails', {
      configurable: true,
      enumerable: true,
      get: () => emails,
      set: (next: unknown[]) => {
        if (!this.detached && next.length === 0) writeFileSync(this.file, '', { mode: 0o600 });
        emails = wrap(next);
      },
    });
  }

  detach(): void {
    this.detached = true;
  }
}
