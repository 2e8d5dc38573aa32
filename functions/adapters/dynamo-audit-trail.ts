import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEntry, AuditTrail } from '#domain/access/audit.js';
import { queryAll } from './dynamo-pages.js';

/** An audit record as the table holds it (`pk` = scope, `sk` = `<time>#<id>`); also put inside other functions' transactions. */
export const auditItem = (entry: AuditEntry) => ({ pk: entry.scope, sk: `${entry.at}#${entry.id}`, ...entry });

/**
 * The audit trail on its own table (`pk` = scope, `sk` = `<time>#<id>`). Functions get
 * `dynamodb:PutItem` on it and, for the views, `Query`: never Update, Delete or BatchWrite, so a
 * record once written stays as written. Every put is conditioned on the key being new.
 */
export class DynamoAuditTrail implements AuditTrail {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(pk)' }));
  }

  async list(scope: string, range: { from?: string; to?: string } = {}): Promise<AuditEntry[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': scope, ':from': range.from ?? '0', ':to': `${range.to ?? '9'}\uffff` },
      ScanIndexForward: false,
    });
    return items.map(({ pk: _pk, sk: _sk, ...item }) => item as AuditEntry);
  }
}
