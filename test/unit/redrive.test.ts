import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { moveMessages, RedriveError, sourceQueueOf } from '../../scripts/redrive.js';

/**
 * The hand-made DLQ redrive (scripts/redrive.ts) where no emulator can take it: a destination that
 * refuses part of a batch, and queues whose redrive policies do not say where a DLQ's messages go.
 * The whole move against fauxqs is test/e2e/ses-paused.test.ts.
 */
const sqs = mockClient(SQSClient);
const client = new SQSClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
const DLQ = 'https://sqs.us-east-1.amazonaws.com/1/email-dlq';
const WORK = 'https://sqs.us-east-1.amazonaws.com/1/email';
const message = (n: number) => ({ MessageId: `m${n}`, ReceiptHandle: `r${n}`, Body: `{"n":${n}}` });

beforeEach(() => sqs.reset());

describe('moveMessages', () => {
  it('deletes from the DLQ only what the queue took, and says what it refused', async () => {
    sqs.on(ReceiveMessageCommand).resolvesOnce({ Messages: [message(1), message(2), message(3)] });
    sqs.on(SendMessageBatchCommand).resolves({
      Successful: [
        { Id: '0', MessageId: 'a', MD5OfMessageBody: '' },
        { Id: '2', MessageId: 'c', MD5OfMessageBody: '' },
      ],
      Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false, Message: 'try again' }],
    });
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });

    await expect(moveMessages(client, DLQ, WORK)).rejects.toThrow(RedriveError);
    expect(sqs.commandCalls(SendMessageBatchCommand)[0].args[0].input.Entries!.map((e) => e.MessageBody)).toEqual(['{"n":1}', '{"n":2}', '{"n":3}']);
    expect(sqs.commandCalls(DeleteMessageBatchCommand).map((c) => c.args[0].input.Entries!.map((e) => e.ReceiptHandle))).toEqual([['r1', 'r3']]);
  });

  it('moves batch after batch until the DLQ answers empty, and counts them', async () => {
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [message(1), message(2)] })
      .resolvesOnce({ Messages: [message(3)] })
      .resolves({ Messages: [] });
    sqs
      .on(SendMessageBatchCommand)
      .callsFake((input: { Entries: Array<{ Id: string }> }) => ({ Successful: input.Entries.map((e) => ({ Id: e.Id, MessageId: e.Id, MD5OfMessageBody: '' })) }));
    sqs.on(DeleteMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    expect(await moveMessages(client, DLQ, WORK)).toBe(3);
    expect(sqs.commandCalls(DeleteMessageBatchCommand)).toHaveLength(2);
  });
});

describe('sourceQueueOf', () => {
  const policies = (byUrl: Record<string, string | undefined>) => {
    sqs.on(ListQueuesCommand).resolves({ QueueUrls: Object.keys(byUrl) });
    sqs.on(GetQueueAttributesCommand, { QueueUrl: DLQ, AttributeNames: ['QueueArn'] }).resolves({ Attributes: { QueueArn: 'arn:aws:sqs:us-east-1:1:email-dlq' } });
    for (const [url, target] of Object.entries(byUrl))
      sqs
        .on(GetQueueAttributesCommand, { QueueUrl: url, AttributeNames: ['RedrivePolicy'] })
        .resolves({ Attributes: target ? { RedrivePolicy: JSON.stringify({ deadLetterTargetArn: target, maxReceiveCount: 3 }) } : {} });
  };

  it('finds the one queue whose redrive policy names the DLQ', async () => {
    policies({ [WORK]: 'arn:aws:sqs:us-east-1:1:email-dlq', 'https://sqs.us-east-1.amazonaws.com/1/badge': 'arn:aws:sqs:us-east-1:1:badge-dlq', [DLQ]: undefined });
    expect(await sourceQueueOf(client, DLQ)).toBe(WORK);
  });

  it('asks for --to when no queue, or more than one, names it', async () => {
    policies({ [DLQ]: undefined });
    await expect(sourceQueueOf(client, DLQ)).rejects.toThrow(/no queue name .* --to/);
    sqs.reset();
    policies({ [WORK]: 'arn:aws:sqs:us-east-1:1:email-dlq', 'https://sqs.us-east-1.amazonaws.com/1/other': 'arn:aws:sqs:us-east-1:1:email-dlq' });
    await expect(sourceQueueOf(client, DLQ)).rejects.toThrow(/2 queues .* --to/);
  });
});
