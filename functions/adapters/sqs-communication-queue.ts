import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { AlertMessage, AlertQueue, CapacityAlert } from '#domain/alerts.js';
import type { CommunicationMessage, CommunicationQueue } from '#domain/communications/ports.js';

/**
 * Messages onto the email queue, ten to a SendMessageBatch, a few batches at a time (a
 * 10,000-recipient message is 1,000 calls); a failed entry fails the call, and the caller's retry
 * (the schedule, a redelivered check) queues it again. `type` travels as a message attribute for logs.
 */
const sendToQueue = async (sqs: SQSClient, queueUrl: string, messages: Array<{ body: unknown; type: string }>) => {
  const batches: Array<typeof messages> = [];
  for (let i = 0; i < messages.length; i += 10) batches.push(messages.slice(i, i + 10));
  const send = async (batch: typeof messages) => {
    const res = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: batch.map((m, i) => ({
          Id: String(i),
          MessageBody: JSON.stringify(m.body),
          MessageAttributes: { type: { DataType: 'String', StringValue: m.type } },
        })),
      }),
    );
    if (res.Failed?.length) throw new Error(`SQS refused ${res.Failed.length} of ${batch.length} messages: ${res.Failed.map((f) => f.Code).join(', ')}`);
  };
  for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(send));
};

/** Reminders and group messages onto the email queue. */
export class SqsCommunicationQueue implements CommunicationQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  enqueue(messages: CommunicationMessage[]): Promise<void> {
    return sendToQueue(
      this.sqs,
      this.queueUrl,
      messages.map((m) => ({ body: m, type: `communication.${m.communication.kind}` })),
    );
  }
}

/** Capacity alerts onto the email queue: the email worker sends them. */
export class SqsAlertQueue implements AlertQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  enqueue(alerts: CapacityAlert[]): Promise<void> {
    return sendToQueue(
      this.sqs,
      this.queueUrl,
      alerts.map((alert) => ({ body: { v: 1, alert } satisfies AlertMessage, type: 'capacity.alert' })),
    );
  }
}
