import { Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, type IGrantable } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { TOKEN_INDEX, UNDISPATCHED_INDEX } from '../../functions/adapters/dynamo-keys.js';

/** DynamoDB actions as IAM names them; a TransactWriteItems needs the action of each of its items. */
export type TableAction = 'GetItem' | 'BatchGetItem' | 'Query' | 'Scan' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'ConditionCheckItem';

/**
 * What each function's code calls on the table, traced through its adapters
 * (functions/adapters/dynamo-*.ts), and nothing more: no whole-table read/write grants.
 * A new function or a new call adds its line here; the infra test holds the full list of
 * every function's actions and fails when a role grows beyond it.
 */
export const TABLE_ACCESS: Record<string, TableAction[]> = {
  // getEvent/listInvitations (Query), getInvitations (BatchGet), create/commit transactions (Put, Update, Delete of waitlist entries)
  'import-invitations': ['Query', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  'list-invitations': ['Query'],
  'get-capacity': ['Query'],
  'export-accreditation': ['Query'],
  'admin-export-attendees': ['Query'],
  // the invitation, its badge record (Get), history (Query), resend = commitInvitation (Put invitation + outbox, Update/Delete when sessions move)
  'invitation-detail': ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
  // invitations (organizer edits): invitation (Get), event/waitlist (Query), promoted parties (BatchGet), the change's transaction (Put, Update, Delete)
  'invitation-admin': ['GetItem', 'Query', 'BatchGetItem', 'PutItem', 'UpdateItem', 'DeleteItem'],
  // token → invitation, badge record
  'badge-link': ['GetItem'],
  // event and invitations (Query)
  'badge-sheet': ['Query'],
  // token lookup (Get; Query on the token index), event and waitlist position (Query), the answer's transaction (Put, Update, Delete)
  rsvp: ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
  // event definition (Put) and session capacities (Update)
  'seed-event': ['PutItem', 'UpdateItem'],
  // invitation, event, waitlist position; email ledger (Put new, Update transitions, Get on a lost race); delivery state (Update);
  // a group message and the suppression list (Get)
  'email-worker': ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
  // invitation and event; badge ledger claim/markReady (Update)
  'badge-worker': ['GetItem', 'Query', 'UpdateItem'],
  // event, waitlist (Query), invitation (Get), promotion transaction; an alert's ledger record owed and enqueued (Update)
  'capacity-worker': ['GetItem', 'Query', 'PutItem', 'UpdateItem', 'DeleteItem'],
  // delivery state on the invitation and a group message's ledger record (Update), the suppression list (Put new)
  'ses-events': ['UpdateItem', 'PutItem'],
  // the outbox record marked dispatched, which keeps it as history (Update)
  'stream-dispatcher': ['UpdateItem'],
  // undispatched outbox records (Query on the Undispatched index), marked dispatched (Update)
  'outbox-sweeper': ['Query', 'UpdateItem'],
  // events as data: event and its versions (Query, Get), event ids (Scan), invitations (Query, BatchGet for promotions),
  // the create/edit transaction (Put definition + outbox + promoted invitations, Update counters, Delete waitlist entries)
  'manage-event': ['GetItem', 'BatchGetItem', 'Query', 'Scan', 'PutItem', 'UpdateItem', 'DeleteItem'],
  // an event named in a role must exist (getEvent: Query)
  people: ['Query'],
  // check-in: event, invitations, badge ledger and scans (Query); a scan, once per id (Put)
  checkin: ['Query', 'PutItem'],
  // reminders
  // event, invitations, ledger records and messages (Query), message (Get), ledger records and the message (Put new, Update)
  messages: ['GetItem', 'Query', 'PutItem', 'UpdateItem'],
  // event ids (Scan), event, invitations and ledger records (Query), ledger records (Put new, Update enqueuedAt), a stalled message (Get, Update)
  'communications-scheduler': ['Scan', 'GetItem', 'Query', 'PutItem', 'UpdateItem'],
  // invitation and event (Get, Query), the opt-out (Update)
  unsubscribe: ['GetItem', 'Query', 'UpdateItem'],
  // event ids (Scan, hourly), recount (Query), repair transaction (Update counter, Put audit)
  reconcile: ['Scan', 'Query', 'UpdateItem', 'PutItem'],
};

/** Global secondary indexes a function queries, by name; every other grant is on the base table only. */
export const TABLE_INDEX_ACCESS: Record<string, string[]> = {
  'outbox-sweeper': [UNDISPATCHED_INDEX],
  rsvp: [TOKEN_INDEX],
};

const READS = new Set<TableAction>(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'ConditionCheckItem']);

/** The data key, only when called through `service` (kms:ViaService) in this region. */
export const grantKeyVia = (grantee: IGrantable, key: IKey, service: 'dynamodb' | 'sqs' | 's3' | 'secretsmanager', actions: string[]) =>
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions, resources: [key.keyArn], conditions: { StringEquals: { 'kms:ViaService': `${service}.${Stack.of(key).region}.amazonaws.com` } } }),
  );

/** The function's TABLE_ACCESS actions on the table, and the data key through DynamoDB only. */
export const grantTableAccess = (grantee: IGrantable, handler: string, table: ITable, key: IKey) => {
  const actions = TABLE_ACCESS[handler];
  if (!actions) throw new Error(`lib/constructs/access.ts: no TABLE_ACCESS entry for ${handler}`);
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({
      actions: actions.map((a) => `dynamodb:${a}`),
      resources: [table.tableArn, ...(TABLE_INDEX_ACCESS[handler] ?? []).map((index) => `${table.tableArn}/index/${index}`)],
    }),
  );
  const writes = actions.some((a) => !READS.has(a));
  grantKeyVia(grantee, key, 'dynamodb', writes ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'] : ['kms:Decrypt', 'kms:DescribeKey']);
};

/** GetSecretValue on the app secret (the only call loadAppKeys makes) and its key through Secrets Manager. */
export const grantSecretRead = (grantee: IGrantable, secret: ISecret, key: IKey) => {
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }));
  grantKeyVia(grantee, key, 'secretsmanager', ['kms:Decrypt']);
};

/** SendMessage to an SSE-KMS queue: the producer needs a data key from the queue's key, through SQS. */
export const grantQueueSend = (grantee: IGrantable, queue: IQueue, key: IKey) => {
  grantee.grantPrincipal.addToPrincipalPolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [queue.queueArn] }));
  grantKeyVia(grantee, key, 'sqs', ['kms:Decrypt', 'kms:GenerateDataKey']);
};

/** What Lambda's SQS poller does with the function's role: receive, delete, return (partial batches). */
export const grantQueueConsume = (grantee: IGrantable, queue: IQueue, key: IKey) => {
  grantee.grantPrincipal.addToPrincipalPolicy(
    new PolicyStatement({ actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes'], resources: [queue.queueArn] }),
  );
  grantKeyVia(grantee, key, 'sqs', ['kms:Decrypt']);
};
