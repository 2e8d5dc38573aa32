import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, SeatConflictError } from '#domain/errors.js';
import type { EventDefinition, SessionState } from '#domain/model.js';
import type { EventCommit, EventRecord, EventSessionOp } from '#domain/ports.js';
import { SUMMIT_CATEGORIES, SUMMIT_TOPICS } from '#domain/summit-seed.js';
import { tryWrite } from '../dynamo-conditions.js';
import { keys } from '../dynamo-keys.js';
import { scanAll } from '../dynamo-pages.js';
import { counterAdds, readCounterRecord, type StoreTable, type TransactItem } from './table.js';
import { promotionItems } from './waitlist.js';

/** A definition stored before categories and topics were event data reads as the summit's seed. */
const withSeedLists = (d: EventDefinition): EventDefinition => ({
  ...d,
  categories: d.categories ?? SUMMIT_CATEGORIES.map((c) => ({ ...c, name: { ...c.name } })),
  topics: d.topics ?? SUMMIT_TOPICS.map((t) => ({ ...t, name: { ...t.name } })),
});

/** A new session's counter record: its capacity, nothing taken. */
const sessionItem = (eventId: string, sessionId: string, capacity: number) => ({
  ...keys.session(eventId, sessionId),
  type: 'session',
  sessionId,
  capacity,
  confirmedSeats: 0,
  confirmedParties: 0,
  waitlistedSeats: 0,
  waitlistedParties: 0,
  declinedParties: 0,
});

/**
 * Events as data: the definition (with each version it had), one counter record per session, and
 * the edits that change them together with the invitations they promote.
 */
export class DynamoEventRecords {
  constructor(private readonly table: StoreTable) {}

  async getEvent(eventId: string): Promise<EventRecord | undefined> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :def)',
      ExpressionAttributeValues: { ':pk': keys.eventDef(eventId).pk, ':def': 'DEF' },
      ConsistentRead: true,
    });
    const def = items.find((i) => i.sk === 'DEF');
    if (!def) return undefined;
    const definition = withSeedLists(def.definition as EventDefinition);
    const byId = new Map(items.filter((i) => i.sk !== 'DEF').map((i) => [i.sessionId as string, i]));
    const sessions = definition.sessions.map((s): SessionState => {
      const { capacity, cancelled, ...counters } = readCounterRecord(byId.get(s.id) ?? {});
      return { ...s, eventId, capacity: capacity ?? s.capacity, ...(s.cancelled || cancelled ? { cancelled: true } : {}), ...counters };
    });
    return { definition, sessions };
  }

  /**
   * The seed's write. Once organizers have edited the event (a version ≥ 1), their definition and
   * capacities win: the seed leaves the event as it is and says so.
   */
  async putEventDefinition(definition: EventDefinition): Promise<'written' | 'kept'> {
    const { doc, tableName } = this.table;
    const written = await tryWrite(() =>
      doc.send(
        new PutCommand({
          TableName: tableName,
          Item: { ...keys.eventDef(definition.id), type: 'event', definition, version: 0 },
          ConditionExpression: 'attribute_not_exists(pk) OR attribute_not_exists(version) OR version = :zero',
          ExpressionAttributeValues: { ':zero': 0 },
        }),
      ),
    );
    if (!written) return 'kept';
    for (const s of definition.sessions) {
      await doc.send(
        new UpdateCommand({
          TableName: tableName,
          Key: keys.session(definition.id, s.id),
          UpdateExpression:
            'SET #type = :type, sessionId = :id, #capacity = :cap, confirmedSeats = if_not_exists(confirmedSeats, :zero), ' +
            'confirmedParties = if_not_exists(confirmedParties, :zero), waitlistedSeats = if_not_exists(waitlistedSeats, :zero), ' +
            'waitlistedParties = if_not_exists(waitlistedParties, :zero), declinedParties = if_not_exists(declinedParties, :zero)',
          ExpressionAttributeNames: { '#type': 'type', '#capacity': 'capacity' },
          ExpressionAttributeValues: { ':type': 'session', ':id': s.id, ':cap': s.capacity, ':zero': 0 },
        }),
      );
    }
    return 'written';
  }

  async createEvent(definition: EventDefinition): Promise<void> {
    const { tableName } = this.table;
    const items: TransactItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: { ...keys.eventDef(definition.id), type: 'event', definition, version: definition.version },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      { Put: { TableName: tableName, Item: { ...keys.eventVersion(definition.id, definition.version ?? 1), type: 'event-version', definition } } },
      ...definition.sessions.map((s): TransactItem => ({
        Put: { TableName: tableName, Item: sessionItem(definition.id, s.id, s.capacity), ConditionExpression: 'attribute_not_exists(pk)' },
      })),
    ];
    await this.table.transact(items, () => new ConcurrentUpdateError(`Event ${definition.id}`));
  }

  async commitEventChange(commit: EventCommit): Promise<void> {
    const { definition, eventId } = commit;
    const { tableName } = this.table;
    const sessionItems = commit.sessions.map((op) => this.sessionOpItem(eventId, op));
    const definitionItems: TransactItem[] = definition
      ? [
          {
            Put: {
              TableName: tableName,
              Item: { ...keys.eventDef(eventId), type: 'event', definition, version: definition.version },
              ConditionExpression: commit.expectedVersion === 0 ? 'attribute_exists(pk) AND (attribute_not_exists(version) OR version = :expected)' : 'version = :expected',
              ExpressionAttributeValues: { ':expected': commit.expectedVersion },
            },
          },
          { Put: { TableName: tableName, Item: { ...keys.eventVersion(eventId, definition.version ?? 1), type: 'event-version', definition } } },
        ]
      : [];
    const items: TransactItem[] = [
      ...definitionItems,
      ...sessionItems,
      ...this.table.outboxPuts(commit.events),
      ...(commit.promotions ?? []).flatMap((p) => promotionItems(this.table, p)),
    ];
    await this.table.transact(items, (reasons) => {
      if (definition && reasons[0] === 'ConditionalCheckFailed') return new ConcurrentUpdateError(`Event ${eventId}`);
      const seats = commit.sessions.filter((_, i) => reasons[i + definitionItems.length] === 'ConditionalCheckFailed').map((op) => op.sessionId);
      return seats.length ? new SeatConflictError(seats) : new ConcurrentUpdateError('A promoted invitation');
    });
  }

  /** One session's part of an edit: a new counter, or the capacity moved from what the edit read (never below the seats confirmed). */
  private sessionOpItem(eventId: string, op: EventSessionOp): TransactItem {
    const { tableName } = this.table;
    if (op.create) return { Put: { TableName: tableName, Item: sessionItem(eventId, op.sessionId, op.create.capacity), ConditionExpression: 'attribute_not_exists(pk)' } };
    const names: Record<string, string> = { '#capacity': 'capacity' };
    const values: Record<string, unknown> = { ':from': op.capacity?.from };
    const sets = ['#capacity = :to'];
    values[':to'] = op.capacity?.to;
    if (op.cancel) {
      sets.push('cancelled = :true');
      values[':true'] = true;
    }
    const adds = counterAdds(op.delta ?? {}, names, values);
    const conditions = ['#capacity = :from'];
    if (!op.cancel) {
      // Never below the seats confirmed, counting those this commit promotes.
      conditions.push('confirmedSeats <= :maxConfirmed');
      values[':maxConfirmed'] = (op.capacity?.to ?? 0) - (op.mustFit ?? 0);
    }
    return {
      Update: {
        TableName: tableName,
        Key: keys.session(eventId, op.sessionId),
        UpdateExpression: `SET ${sets.join(', ')}${adds.length ? ` ADD ${adds.join(', ')}` : ''}`,
        ConditionExpression: conditions.join(' AND '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
      },
    };
  }

  async getEventVersion(eventId: string, version: number): Promise<EventDefinition | undefined> {
    const res = await this.table.doc.send(new GetCommand({ TableName: this.table.tableName, Key: keys.eventVersion(eventId, version), ConsistentRead: true }));
    return res.Item ? withSeedLists(res.Item.definition as EventDefinition) : undefined;
  }

  async listEventIds(): Promise<string[]> {
    const items = await scanAll(this.table.doc, {
      TableName: this.table.tableName,
      FilterExpression: '#t = :event',
      ExpressionAttributeNames: { '#t': 'type' },
      ExpressionAttributeValues: { ':event': 'event' },
      ProjectionExpression: 'pk',
    });
    return items.map((i) => String(i.pk).slice('EVENT#'.length));
  }
}
