import { DeleteMessageBatchCommand, GetQueueAttributesCommand, ListQueuesCommand, ReceiveMessageCommand, SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/**
 * A DLQ redrive by hand: what SQS's own `StartMessageMoveTask` (the console's *Start DLQ redrive*)
 * does, for the local cloud, whose fauxqs has neither it nor `ListDeadLetterSourceQueues`. On AWS
 * the native task is the one to use (README, *Deploying*, **Ops**); this works there too.
 */
export class RedriveError extends Error {}

/** The queue whose redrive policy names `dlqUrl` as its dead-letter target: where its messages came from. */
export const sourceQueueOf = async (sqs: SQSClient, dlqUrl: string): Promise<string> => {
  const arn = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: dlqUrl, AttributeNames: ['QueueArn'] }))).Attributes?.QueueArn;
  if (!arn) throw new RedriveError(`${dlqUrl} has no QueueArn`);
  const sources: string[] = [];
  let NextToken: string | undefined;
  do {
    const page = await sqs.send(new ListQueuesCommand({ NextToken, MaxResults: 1000 }));
    for (const url of page.QueueUrls ?? []) {
      const policy = (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['RedrivePolicy'] }))).Attributes?.RedrivePolicy;
      if (policy && (JSON.parse(policy) as { deadLetterTargetArn?: string }).deadLetterTargetArn === arn) sources.push(url);
    }
    NextToken = page.NextToken;
  } while (NextToken);
  if (sources.length !== 1)
    throw new RedriveError(`${sources.length ? `${sources.length} queues (${sources.join(', ')})` : 'no queue'} name ${dlqUrl} as their DLQ: say where its messages go with --to`);
  return sources[0];
};

/**
 * Moves every message of `from` to `to`, ten at a time: each is deleted from `from` only once `to`
 * has taken it, so none is lost; a crash between the two leaves a copy in both, which the workers
 * take once (the email ledger, badge keys, state-based capacity checks). Returns how many moved.
 */
export const moveMessages = async (sqs: SQSClient, from: string, to: string): Promise<number> => {
  let moved = 0;
  for (;;) {
    // A short wait: a standard queue can answer an empty receive while it still holds messages.
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: from, MaxNumberOfMessages: 10, WaitTimeSeconds: 2, VisibilityTimeout: 120, MessageAttributeNames: ['All'] }),
    );
    if (!Messages.length) return moved;
    const sent = await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: to,
        Entries: Messages.map((m, i) => ({
          Id: String(i),
          MessageBody: m.Body ?? '',
          ...(m.MessageAttributes && Object.keys(m.MessageAttributes).length ? { MessageAttributes: m.MessageAttributes } : {}),
        })),
      }),
    );
    const taken = new Set((sent.Successful ?? []).map((s) => s.Id));
    const done = Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle ?? '' })).filter((e) => taken.has(e.Id));
    if (done.length) await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: from, Entries: done }));
    moved += done.length;
    // What `to` refused stays in `from` (visible again after the receive's timeout): say so rather than loop on it.
    if (sent.Failed?.length)
      throw new RedriveError(`${to} refused ${sent.Failed.length} message(s) (${sent.Failed[0].Code}: ${sent.Failed[0].Message}); ${moved} moved, the rest are still in ${from}`);
  }
};
