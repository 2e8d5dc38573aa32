import { DeleteCommand, GetCommand, QueryCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry } from '#domain/access/audit.js';
import { PersonChangeInProgressError, type PeopleChangeLog, type PendingPersonChange } from '#domain/access/people.js';
import { auditItem } from './dynamo-audit-trail.js';
import { tryWrite } from './dynamo-conditions.js';

/** The one partition of pending people changes on the main table; the people function may write nowhere else there (IAM `dynamodb:LeadingKeys`). */
export const PEOPLE_PENDING_PK = 'PEOPLE#PENDING';

const toChange = ({ pk: _pk, sk: _sk, type: _type, ...rest }: Record<string, unknown>) => rest as unknown as PendingPersonChange;

/**
 * Pending people changes (the outbox of changes to Cognito): each written in one transaction with
 * its audit records, on a key that refuses a second change to the same person while one is pending.
 */
export class DynamoPeopleChanges implements PeopleChangeLog {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly auditTable: string,
  ) {}

  async begin(change: PendingPersonChange, audit: AuditEntry[]): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: { pk: PEOPLE_PENDING_PK, sk: change.key, type: 'people-change', ...change },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            ...audit.map((entry) => ({ Put: { TableName: this.auditTable, Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } })),
          ],
        }),
      );
    } catch (err) {
      const reasons = (err as { CancellationReasons?: Array<{ Code?: string }> }).CancellationReasons ?? [];
      if ((err as Error).name === 'TransactionCanceledException' && reasons[0]?.Code === 'ConditionalCheckFailed')
        throw new PersonChangeInProgressError(change.username ?? change.email);
      throw err;
    }
  }

  async finish(change: PendingPersonChange): Promise<void> {
    // A failed condition: already finished (a settle and the request both applied it), nothing left to clear.
    await tryWrite(() =>
      this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: PEOPLE_PENDING_PK, sk: change.key },
          ConditionExpression: 'id = :id',
          ExpressionAttributeValues: { ':id': change.id },
        }),
      ),
    );
  }

  async get(key: string): Promise<PendingPersonChange | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: { pk: PEOPLE_PENDING_PK, sk: key }, ConsistentRead: true }));
    return res.Item ? toChange(res.Item) : undefined;
  }

  async list(): Promise<PendingPersonChange[]> {
    const res = await this.doc.send(
      new QueryCommand({ TableName: this.tableName, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': PEOPLE_PENDING_PK }, ConsistentRead: true }),
    );
    return (res.Items ?? []).map(toChange);
  }
}
