import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { QueuePublisher } from '#domain/dispatch.js';
import { envelopeFor, type Envelope, type WorkQueue } from '#domain/outbox.js';
import { BADGE_FILE_MISSING, type BadgeRenderRequests } from '#domain/badge/links.js';
import { randomUUID } from 'node:crypto';

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

/**
 * Render requests straight onto the badge queue: an `invitation.updated` naming the lost file,
 * which only the badge worker hears (no history entry, no email). Not through the outbox: nothing
 * about the invitation changed, and a lost request is asked again by the next link.
 */
export class SqsBadgeRenderRequests implements BadgeRenderRequests {
  constructor(
    private readonly sqs: SQSClient,
    private readonly badgeQueueUrl: string,
    private readonly clock: { now(): Date } = { now: () => new Date() },
  ) {}

  async request(eventId: string, invitationId: string): Promise<void> {
    const envelope = envelopeFor({
      type: 'invitation.updated',
      id: `badge-${randomUUID()}`,
      occurredAt: this.clock.now().toISOString(),
      eventId,
      invitationId,
      changed: [BADGE_FILE_MISSING],
    });
    await new SqsQueuePublisher(this.sqs, { badge: this.badgeQueueUrl } as Record<WorkQueue, string>).publish('badge', envelope);
  }
}
