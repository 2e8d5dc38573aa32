import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { CommunicationMessage, CommunicationQueue } from '#domain/communications/ports.js';

/** Reminders and group messages onto the email queue, ten to a SendMessageBatch; a failed entry fails the call (the schedule queues it again). */
export class SqsCommunicationQueue implements CommunicationQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async enqueue(messages: CommunicationMessage[]): Promise<void> {
    const batches: CommunicationMessage[][] = [];
    for (let i = 0; i < messages.length; i += 10) batches.push(messages.slice(i, i + 10));
    const send = async (batch: CommunicationMessage[]) => {
      const res = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((m, i) => ({
            Id: String(i),
            MessageBody: JSON.stringify(m),
            MessageAttributes: { type: { DataType: 'String', StringValue: `communication.${m.communication.kind}` } },
          })),
        }),
      );
      if (res.Failed?.length) throw new Error(`SQS refused ${res.Failed.length} of ${batch.length} messages: ${res.Failed.map((f) => f.Code).join(', ')}`);
    };
    // A few batches at a time: a 10,000-recipient message is 1,000 calls.
    for (let i = 0; i < batches.length; i += 8) await Promise.all(batches.slice(i, i + 8).map(send));
  }
}
