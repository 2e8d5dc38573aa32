import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SessionCounters } from '#domain/model.js';
import type { RepairOutcome } from '#domain/ports.js';
import { keys } from '../dynamo-keys.js';
import { cancellationReasons, type StoreTable } from './table.js';

/**
 * Sets a session's counters to what its records add up to, only if they still hold what the
 * reconciliation read, with an audit record in the same transaction.
 */
export async function repairCounters(
  table: StoreTable,
  eventId: string,
  sessionId: string,
  expected: SessionCounters,
  actual: SessionCounters,
  audit: { id: string; at: string },
): Promise<RepairOutcome> {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  const sets: string[] = [];
  const conditions: string[] = [];
  for (const k of Object.keys(expected) as Array<keyof SessionCounters>) {
    names[`#${k}`] = k;
    values[`:e_${k}`] = expected[k];
    values[`:a_${k}`] = actual[k];
    sets.push(`#${k} = :a_${k}`);
    conditions.push(`#${k} = :e_${k}`);
  }
  try {
    await table.doc.send(
      new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: table.tableName,
              Key: keys.session(eventId, sessionId),
              UpdateExpression: `SET ${sets.join(', ')}`,
              ConditionExpression: conditions.join(' AND '),
              ExpressionAttributeNames: names,
              ExpressionAttributeValues: values,
            },
          },
          {
            Put: {
              TableName: table.tableName,
              Item: { ...keys.audit(eventId, `session:${sessionId}`, audit.at, audit.id), type: 'audit', action: 'counters.repaired', sessionId, expected, actual, at: audit.at },
            },
          },
        ],
      }),
    );
    return 'repaired';
  } catch (err) {
    // Only the counters' own condition means "moved"; a conflict is retried by the next run;
    // anything else (the audit write refused, validation) is a real failure and is thrown.
    const reasons = cancellationReasons(err);
    if (reasons?.[0] === 'ConditionalCheckFailed' && reasons.slice(1).every((r) => !r || r === 'None')) return 'counters_moved';
    if (reasons?.some((r) => r === 'TransactionConflict') && reasons.every((r) => !r || r === 'None' || r === 'TransactionConflict')) return 'write_conflict';
    if ((err as Error).name === 'TransactionConflictException') return 'write_conflict';
    throw err;
  }
}
