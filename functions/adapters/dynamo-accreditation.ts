import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ClearanceChangedError, type AccreditationRecord, type AccreditationRecords, type Clearance } from '#domain/accreditation.js';
import type { AuditEntry } from '#domain/access/audit.js';
import { auditItem } from './dynamo-audit-trail.js';
import { keys } from './dynamo-keys.js';
import { queryAll } from './dynamo-pages.js';

const toRecord = (i: Record<string, unknown>): AccreditationRecord => ({
  invitationId: i.invitationId as string,
  ...(i.holder ? { holder: i.holder as string } : {}),
  accreditation: { nationality: i.nationality as string, idDocumentNumber: i.idDocumentNumber as string },
  ...(i.clearance ? { clearance: i.clearance as Clearance } : {}),
});

/** Accreditation records on their own table; clearance changes commit with their audit record. */
export class DynamoAccreditationRecords implements AccreditationRecords {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly auditTable: string,
  ) {}

  async list(eventId: string): Promise<AccreditationRecord[]> {
    const items = await queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)',
      ExpressionAttributeValues: { ':pk': keys.eventDef(eventId).pk, ':a': 'ACCRED#' },
    });
    return items.map(toRecord);
  }

  async get(eventId: string, invitationId: string, holder = ''): Promise<AccreditationRecord | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.accreditation(eventId, invitationId, holder), ConsistentRead: true }));
    return res.Item ? toRecord(res.Item) : undefined;
  }

  async setClearance(eventId: string, invitationId: string, expected: Clearance | undefined, next: Clearance, audit: AuditEntry, holder = ''): Promise<void> {
    try {
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.accreditation(eventId, invitationId, holder),
                UpdateExpression: 'SET clearance = :next',
                ConditionExpression: expected ? 'attribute_exists(pk) AND clearance.#at = :at' : 'attribute_exists(pk) AND attribute_not_exists(clearance)',
                ...(expected ? { ExpressionAttributeNames: { '#at': 'at' } } : {}),
                ExpressionAttributeValues: { ':next': next, ...(expected ? { ':at': expected.at } : {}) },
              },
            },
            { Put: { TableName: this.auditTable, Item: auditItem(audit), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    } catch (err) {
      if ((err as Error).name === 'TransactionCanceledException') throw new ClearanceChangedError();
      throw err;
    }
  }
}
