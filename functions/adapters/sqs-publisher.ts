import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueuePublisher } from '#domain/dispatch.js';
import type { Envelope, WorkQueue } from '#domain/outbox.js';

/** Work queues on SQS; the event type travels as a message attribute for filtering and logs. */
export class SqsQueuePublisher implements QueuePublisher {
  constructor(
    private readonly sqs: SQSClient,
    private readonly queues: Record<WorkQueue, string>,
  ) {}

  async publish(queue: WorkQueue, envelope: Envelope): Promise<void> {
    await this.sqs.send(
      new SendMessageCommand({
        QueueUrl: this.queues[queue],
        MessageBody: JSON.stringify(envelope),
        MessageAttributes: { type: { DataType: 'String', StringValue: envelope.event.type } },
      }),
    );
  }
}
