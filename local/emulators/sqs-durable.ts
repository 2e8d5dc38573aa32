import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Log } from '../log.js';

/**
 * fauxqs keeps queues in memory, so a stop (clean or not) lost every message still waiting: an
 * outbox record the dispatcher had sent (and marked dispatched) never reached its worker. SQS is
 * durable, so the local cloud makes queues durable too: every message a queue takes is appended
 * to `<dataDir>/sqs/messages.jsonl` before fauxqs answers the send, and every delete and purge is
 * appended after it. At start the journal is replayed: what was sent and not deleted goes back
 * into its queue (as new messages: ids and receive counts start again; consumers are idempotent).
 * A move to a dead-letter queue is the same message id put on the DLQ, so the DLQ keeps it.
 *
 * Appends are not fsynced: they survive a crash of the process (SIGKILL), not of the machine.
 */
interface SqsMessageLike {
  messageId: string;
  body: string;
  messageAttributes?: Record<string, { DataType: string; StringValue?: string }>;
}

interface SqsQueueLike {
  name: string;
  spy?: object;
  inflightMessages: Map<string, { message: SqsMessageLike }>;
  enqueue: (this: SqsQueueLike, msg: SqsMessageLike) => void;
  deleteMessage: (this: SqsQueueLike, receiptHandle: string) => boolean;
  purge: (this: SqsQueueLike) => void;
}

type JournalLine =
  { op: 'put'; q: string; id: string; body: string; attrs?: SqsMessageLike['messageAttributes'] } | { op: 'del'; q: string; id: string } | { op: 'purge'; q: string };

export interface KeptMessage {
  id: string;
  body: string;
  attrs?: SqsMessageLike['messageAttributes'];
}

/** The messages of every queue, written through to one journal. */
export class DurableQueues {
  private kept = new Map<string, KeptMessage[]>();

  constructor(readonly file: string) {}

  private append(line: JournalLine): void {
    appendFileSync(this.file, `${JSON.stringify(line)}\n`, { mode: 0o600 });
  }

  put(queue: string, msg: SqsMessageLike): void {
    this.append({
      op: 'put',
      q: queue,
      id: msg.messageId,
      body: msg.body,
      ...(msg.messageAttributes && Object.keys(msg.messageAttributes).length ? { attrs: msg.messageAttributes } : {}),
    });
  }

  delete(queue: string, id: string): void {
    this.append({ op: 'del', q: queue, id });
  }

  purge(queue: string): void {
    this.append({ op: 'purge', q: queue });
  }

  /**
   * Reads the journal: the messages still in each queue. The journal is rewritten to hold just
   * them (atomically), so it does not grow from start to start. A line cut short is named and skipped.
   */
  load(log: Log): void {
    mkdirSync(path.dirname(this.file), { recursive: true });
    const live = new Map<string, { q: string } & KeptMessage>();
    const text = existsSync(this.file) ? readFileSync(this.file, 'utf8') : '';
    text.split('\n').forEach((raw, i) => {
      if (!raw.trim()) return;
      let line: JournalLine;
      try {
        line = JSON.parse(raw) as JournalLine;
      } catch {
        log.warn('sqs', `${this.file} line ${i + 1} is cut short (a crash while writing?): skipped`);
        return;
      }
      if (line.op === 'put') live.set(line.id, { q: line.q, id: line.id, body: line.body, attrs: line.attrs });
      else if (line.op === 'del') live.delete(line.id);
      else for (const [id, m] of live) if (m.q === line.q) live.delete(id);
    });
    this.kept = new Map();
    for (const m of live.values()) this.kept.set(m.q, [...(this.kept.get(m.q) ?? []), { id: m.id, body: m.body, attrs: m.attrs }]);
    const temp = `${this.file}.${randomBytes(4).toString('hex')}.tmp`;
    writeFileSync(temp, [...live.values()].map(({ q, id, body, attrs }) => `${JSON.stringify({ op: 'put', q, id, body, ...(attrs ? { attrs } : {}) })}\n`).join(''), {
      mode: 0o600,
      flush: true,
    });
    renameSync(temp, this.file);
  }

  /** The messages a queue held when the cloud last stopped; each is handed out once. */
  take(queue: string): KeptMessage[] {
    const messages = this.kept.get(queue) ?? [];
    this.kept.delete(queue);
    return messages;
  }
}

const byStore = new WeakMap<object, DurableQueues>();
let patched: Promise<void> | undefined;

/** fauxqs's own SQS store module (not in its exports map), found the way Node looks up packages. */
const storeModule = (): string => {
  const candidates = (createRequire(import.meta.url).resolve.paths('fauxqs') ?? []).map((dir) => path.join(dir, 'fauxqs', 'dist', 'sqs', 'sqsStore.js'));
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error('fauxqs/dist/sqs/sqsStore.js not found: is fauxqs installed?');
  return pathToFileURL(found).href;
};

const patchQueueClass = async (): Promise<void> => {
  const { SqsQueue } = (await import(storeModule())) as { SqsQueue: { prototype: SqsQueueLike } };
  const proto = SqsQueue.prototype;
  const { enqueue, deleteMessage, purge } = proto;
  const durable = (queue: SqsQueueLike) => (queue.spy ? byStore.get(queue.spy) : undefined);
  proto.enqueue = function (this: SqsQueueLike, msg) {
    durable(this)?.put(this.name, msg);
    enqueue.call(this, msg);
  };
  proto.deleteMessage = function (this: SqsQueueLike, receiptHandle) {
    const id = this.inflightMessages.get(receiptHandle)?.message.messageId;
    const deleted = deleteMessage.call(this, receiptHandle);
    if (deleted && id) durable(this)?.delete(this.name, id);
    return deleted;
  };
  proto.purge = function (this: SqsQueueLike) {
    purge.call(this);
    durable(this)?.purge(this.name);
  };
};

/** Makes the queues of the fauxqs server started with this spy write through to `file`. */
export const makeQueuesDurable = async (spy: object, file: string, log: Log): Promise<DurableQueues> => {
  await (patched ??= patchQueueClass());
  const queues = new DurableQueues(file);
  queues.load(log);
  byStore.set(spy, queues);
  return queues;
};

/**
 * Puts the messages a queue held at the last stop back into it (just created, empty), then
 * journals them under their new ids. A crash in the middle leaves duplicates, never a loss.
 */
export const restoreQueue = async (queueUrl: string, durable: DurableQueues, sqs: SQSClient, log: Log): Promise<void> => {
  const name = queueUrl.split('/').at(-1)!;
  const messages = durable.take(name);
  for (let i = 0; i < messages.length; i += 10) {
    const batch = messages.slice(i, i + 10);
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, j) => ({
          Id: String(j),
          MessageBody: m.body,
          ...(m.attrs ? { MessageAttributes: m.attrs } : {}),
          // A FIFO queue's order and groups are not kept across a restart; each message is its own group.
          ...(name.endsWith('.fifo') ? { MessageGroupId: m.id, MessageDeduplicationId: m.id } : {}),
        })),
      }),
    );
    for (const m of batch) durable.delete(name, m.id);
  }
  if (messages.length) log.info('sqs', `${name}: ${messages.length} message(s) still waiting at the last stop put back`);
};
