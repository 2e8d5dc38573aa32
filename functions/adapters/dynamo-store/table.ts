import { TransactionCanceledException, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { TransactWriteCommand, type DynamoDBDocumentClient, type QueryCommandInput, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { WriteCollisionError } from '#domain/errors.js';
import type { SessionCounters } from '#domain/model.js';
import { outboxRecords, type CumbreEvent } from '#domain/outbox.js';
import type { AuditEntry } from '#domain/access/audit.js';
import { auditItem } from '../dynamo-audit-trail.js';
import { outboxItem } from '../dynamo-outbox.js';
import { queryAll } from '../dynamo-pages.js';

export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The per-item reason codes of a cancelled transaction, or undefined for any other error. */
export const cancellationReasons = (err: unknown): Array<string | undefined> | undefined =>
  err instanceof TransactionCanceledException || (err as Error).name === 'TransactionCanceledException'
    ? ((err as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code)
    : undefined;

export const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** The `ADD` clauses of a session counter's non-zero deltas, their names and values written into the expression's maps. */
export const counterAdds = (delta: Partial<SessionCounters>, names: Record<string, string>, values: Record<string, unknown>): string[] =>
  Object.entries(delta)
    .filter(([, v]) => v !== 0)
    .map(([k, v]) => {
      names[`#${k}`] = k;
      values[`:${k}`] = v;
      return `#${k} :${k}`;
    });

/** A session's counter record (a plain item): its seat counters, and its capacity and cancellation where it holds them. */
export const readCounterRecord = (c: Record<string, unknown>): SessionCounters & { capacity?: number; cancelled?: true } => ({
  ...(c.capacity !== undefined ? { capacity: Number(c.capacity) } : {}),
  ...(c.cancelled ? { cancelled: true as const } : {}),
  confirmedSeats: Number(c.confirmedSeats ?? 0),
  confirmedParties: Number(c.confirmedParties ?? 0),
  waitlistedSeats: Number(c.waitlistedSeats ?? 0),
  waitlistedParties: Number(c.waitlistedParties ?? 0),
  declinedParties: Number(c.declinedParties ?? 0),
});

/** A stored record without its keys and type: the domain object it holds. */
export const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
};

/**
 * The tables the RSVP core's store writes, and what every aggregate's writes share: transactions
 * whose cancellations become domain errors, paged queries, the outbox and audit items a change
 * carries in its own transaction.
 */
export class StoreTable {
  constructor(
    readonly doc: DynamoDBDocumentClient,
    readonly tableName: string,
    /** Nationality and ID documents live in their own table; only the RSVP and accreditation functions are given it. */
    private readonly accreditationTable?: string,
    /** The audit trail's table: organizers' changes commit with their record (only functions that make them are given it). */
    private readonly auditTable?: string,
  ) {}

  /** The organizer's audit record as one more item of the change's transaction, on a new key. */
  auditPut(entry: AuditEntry): TransactItem {
    if (!this.auditTable) throw new Error('This function has no audit trail (AUDIT_TABLE is not set)');
    return { Put: { TableName: this.auditTable, Item: auditItem(entry), ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  accreditationTableName(): string {
    if (!this.accreditationTable) throw new Error('This function has no access to accreditation data (ACCREDITATION_TABLE is not set)');
    return this.accreditationTable;
  }

  /** A commit's events as outbox items: one per invitation they are about (an answer's confirmation and answer are one item). */
  outboxPuts(events: readonly CumbreEvent[]): TransactItem[] {
    return outboxRecords(events).map((record) => ({ Put: { TableName: this.tableName, Item: outboxItem(record) } }));
  }

  /**
   * Runs a transaction; a cancellation becomes the domain error `onCancel` builds from the
   * per-item reason codes (`ConditionalCheckFailed`, `TransactionConflict`, …).
   */
  async transact(items: TransactItem[], onCancel: (reasons: Array<string | undefined>, found: Array<Record<string, AttributeValue> | undefined>) => Error): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (err instanceof TransactionCanceledException || (err as Error).name === 'TransactionCanceledException') {
        const cancelled = (err as TransactionCanceledException).CancellationReasons ?? [];
        const reasons = cancelled.map((r) => r.Code);
        if (reasons.some((r) => r && r !== 'None' && r !== 'ConditionalCheckFailed' && r !== 'TransactionConflict')) throw err;
        // Only collisions: every condition held, so the same commit may be tried again as it is.
        if (!reasons.includes('ConditionalCheckFailed') && reasons.includes('TransactionConflict')) throw new WriteCollisionError();
        // The items that asked for it (ReturnValuesOnConditionCheckFailure) come back as their condition found them.
        throw onCancel(
          reasons,
          cancelled.map((r) => r.Item),
        );
      }
      if ((err as Error).name === 'TransactionConflictException') throw new WriteCollisionError();
      throw err;
    }
  }

  queryAll(input: Omit<QueryCommandInput, 'TableName'>, tableName = this.tableName): Promise<Record<string, unknown>[]> {
    return queryAll(this.doc, { ...input, TableName: tableName });
  }
}
