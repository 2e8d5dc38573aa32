import { DeleteCommand } from '@aws-sdk/lib-dynamodb';
import type { Promotion, WaitlistEntry } from '#domain/ports.js';
import { tryWrite } from '../dynamo-conditions.js';
import { keys } from '../dynamo-keys.js';
import { countAll } from '../dynamo-pages.js';
import type { StoreTable, TransactItem } from './table.js';

/**
 * A promotion's part of a transaction: the invitation as promoted (conditioned on the version it
 * was read at), its waitlist places deleted, its events in the outbox.
 */
export const promotionItems = (table: StoreTable, p: Promotion): TransactItem[] => [
  {
    Put: {
      TableName: table.tableName,
      Item: { ...keys.invitation(p.invitation.eventId, p.invitation.id), type: 'invitation', ...p.invitation },
      ConditionExpression: 'version = :expected',
      ExpressionAttributeValues: { ':expected': p.expectedVersion },
    },
  },
  ...p.places.map((w): TransactItem => ({ Delete: { TableName: table.tableName, Key: keys.waitlist(p.invitation.eventId, w.sessionId, w.ticket) } })),
  ...table.outboxPuts(p.events),
];

/** Each session's waitlist: one record per waiting party, in ticket (arrival) order. */
export class DynamoWaitlist {
  constructor(private readonly table: StoreTable) {}

  async listWaitlist(eventId: string, sessionId: string): Promise<WaitlistEntry[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.waitlist(eventId, sessionId, 0).pk },
      ConsistentRead: true,
    });
    return items.map((i) => ({ invitationId: i.invitationId as string, ticket: Number(i.ticket), seats: Number(i.seats) }));
  }

  async countWaitlistedBefore(eventId: string, sessionId: string, ticket: number): Promise<number> {
    const key = keys.waitlist(eventId, sessionId, ticket);
    return countAll(this.table.doc, {
      TableName: this.table.tableName,
      KeyConditionExpression: 'pk = :pk AND sk < :sk',
      ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk },
    });
  }

  async removeStaleWaitlistEntry(eventId: string, sessionId: string, ticket: number, invitationId: string): Promise<boolean> {
    return tryWrite(() =>
      this.table.doc.send(
        new DeleteCommand({
          TableName: this.table.tableName,
          Key: keys.waitlist(eventId, sessionId, ticket),
          ConditionExpression: 'invitationId = :id',
          ExpressionAttributeValues: { ':id': invitationId },
        }),
      ),
    );
  }
}
