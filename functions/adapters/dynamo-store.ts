import { TransactionCanceledException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  DeleteCommand,
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError, SeatConflictError, WriteCollisionError } from '#domain/errors.js';
import type { Accreditation, EventDefinition, Invitation, SessionCounters, SessionState } from '#domain/model.js';
import type { CumbreEvent } from '#domain/outbox.js';
import type { CumbreStore, EventRecord, InvitationCommit, NewInvitation, RepairOutcome, WaitlistEntry } from '#domain/ports.js';
import { keys } from './dynamo-keys.js';
import { outboxItem } from './dynamo-outbox.js';

/** Token → invitation keys a warm function remembers (a summit has a few thousand invitees). */
const TOKEN_TARGETS_KEPT = 20_000;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The per-item reason codes of a cancelled transaction, or undefined for any other error. */
const cancellationReasons = (err: unknown): Array<string | undefined> | undefined =>
  err instanceof TransactionCanceledException || (err as Error).name === 'TransactionCanceledException'
    ? ((err as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code)
    : undefined;

export const documentClient = (client: DynamoDBClient) => DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

const chunk = <T>(items: T[], size: number): T[][] => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

const strip = <T>(item: Record<string, unknown> | undefined): T | undefined => {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
};

/**
 * The RSVP core's store on one DynamoDB table. Seat counters, invitation records and outbox events
 * change in single transactions; condition failures come back as the domain's conflict errors.
 */
export class DynamoCumbreStore implements CumbreStore {
  private readonly tokenTargets = new Map<string, { eventId: string; invitationId: string }>();
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Nationality and ID documents live in their own table; only the RSVP and accreditation functions are given it. */
    private readonly accreditationTable?: string,
  ) {}

  private accreditationTableName(): string {
    if (!this.accreditationTable) throw new Error('This function has no access to accreditation data (ACCREDITATION_TABLE is not set)');
    return this.accreditationTable;
  }

  async getEvent(eventId: string): Promise<EventRecord | undefined> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :def)',
      ExpressionAttributeValues: { ':pk': keys.eventDef(eventId).pk, ':def': 'DEF' },
      ConsistentRead: true,
    });
    const def = items.find((i) => i.sk === 'DEF');
    if (!def) return undefined;
    const definition = def.definition as EventDefinition;
    const byId = new Map(items.filter((i) => i.sk !== 'DEF').map((i) => [i.sessionId as string, i]));
    const sessions = definition.sessions.map((s): SessionState => {
      const c = byId.get(s.id) ?? {};
      return {
        ...s,
        eventId,
        capacity: Number(c.capacity ?? s.capacity),
        confirmedSeats: Number(c.confirmedSeats ?? 0),
        confirmedParties: Number(c.confirmedParties ?? 0),
        waitlistedSeats: Number(c.waitlistedSeats ?? 0),
        waitlistedParties: Number(c.waitlistedParties ?? 0),
        declinedParties: Number(c.declinedParties ?? 0),
      };
    });
    return { definition, sessions };
  }

  async putEventDefinition(definition: EventDefinition): Promise<void> {
    await this.doc.send(new PutCommand({ TableName: this.tableName, Item: { ...keys.eventDef(definition.id), type: 'event', definition } }));
    for (const s of definition.sessions) {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.session(definition.id, s.id),
          UpdateExpression:
            'SET #type = :type, sessionId = :id, #capacity = :cap, confirmedSeats = if_not_exists(confirmedSeats, :zero), ' +
            'confirmedParties = if_not_exists(confirmedParties, :zero), waitlistedSeats = if_not_exists(waitlistedSeats, :zero), ' +
            'waitlistedParties = if_not_exists(waitlistedParties, :zero), declinedParties = if_not_exists(declinedParties, :zero), ' +
            'waitlistSeq = if_not_exists(waitlistSeq, :zero)',
          ExpressionAttributeNames: { '#type': 'type', '#capacity': 'capacity' },
          ExpressionAttributeValues: { ':type': 'session', ':id': s.id, ':cap': s.capacity, ':zero': 0 },
        }),
      );
    }
  }

  /**
   * A token item never changes what it points at, so a warm function remembers where each token
   * led: the page view costs two reads, the answer that follows it one. The invitation read checks
   * that it still carries the token's hash, so a forgotten or replaced token is looked up again.
   */
  async findInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    const known = this.tokenTargets.get(tokenHash);
    if (known) {
      const invitation = await this.getInvitation(known.eventId, known.invitationId);
      if (invitation?.tokenHash === tokenHash) return invitation;
      this.tokenTargets.delete(tokenHash);
    }
    const token = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.token(tokenHash), ConsistentRead: true }));
    if (!token.Item) return undefined;
    const target = { eventId: token.Item.eventId as string, invitationId: token.Item.invitationId as string };
    const invitation = await this.getInvitation(target.eventId, target.invitationId);
    if (invitation?.tokenHash !== tokenHash) return invitation;
    if (this.tokenTargets.size >= TOKEN_TARGETS_KEPT) this.tokenTargets.clear();
    this.tokenTargets.set(tokenHash, target);
    return invitation;
  }

  async getInvitation(eventId: string, invitationId: string): Promise<Invitation | undefined> {
    const res = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.invitation(eventId, invitationId), ConsistentRead: true }));
    return strip<Invitation>(res.Item);
  }

  async getInvitations(eventId: string, invitationIds: string[]): Promise<Invitation[]> {
    const found: Invitation[] = [];
    for (const ids of chunk([...new Set(invitationIds)], 100)) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [this.tableName]: { Keys: ids.map((id) => keys.invitation(eventId, id)), ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const res = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(res.Responses?.[this.tableName] ?? []).map((i) => strip<Invitation>(i)!));
        request = res.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async listInvitations(eventId: string): Promise<Invitation[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :inv)',
      ExpressionAttributeValues: { ':pk': keys.invitation(eventId, '').pk, ':inv': 'INV#' },
    });
    return items.map((i) => strip<Invitation>(i)!);
  }

  async createInvitations(items: NewInvitation[]): Promise<void> {
    // Three records per invitation (invitation, token index, outbox) within the 100-action limit.
    const batches = chunk(items, 25);
    const run = async (batch: NewInvitation[]) => {
      const transactItems: TransactItem[] = batch.flatMap(({ invitation, events }) => [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.invitation(invitation.eventId, invitation.id), type: 'invitation', ...invitation },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.token(invitation.tokenHash), type: 'token', eventId: invitation.eventId, invitationId: invitation.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...events.map((e) => this.outboxPut(e)),
      ]);
      await this.transact(transactItems, () => new ConcurrentUpdateError('An invitation in this import'));
    };
    // A few transactions in flight at once: 10,000 rows take seconds, not minutes.
    for (const group of chunk(batches, 4)) await Promise.all(group.map(run));
  }

  async commitInvitation(commit: InvitationCommit): Promise<void> {
    const { invitation } = commit;
    const sessionItems: TransactItem[] = commit.sessionChanges.map((change) => {
      const names: Record<string, string> = { '#capacity': 'capacity' };
      const values: Record<string, unknown> = { ':cap': change.capacity };
      const adds = Object.entries(change.delta)
        .filter(([, v]) => v !== 0)
        .map(([k, v]) => {
          names[`#${k}`] = k;
          values[`:${k}`] = v;
          return `#${k} :${k}`;
        });
      const conditions = ['#capacity = :cap'];
      if (change.mustFit !== undefined) {
        conditions.push('confirmedSeats <= :maxFit');
        values[':maxFit'] = change.capacity - change.mustFit;
      }
      if (change.mustNotFit !== undefined) {
        conditions.push('confirmedSeats > :maxNotFit');
        values[':maxNotFit'] = change.capacity - change.mustNotFit;
      }
      return {
        Update: {
          TableName: this.tableName,
          Key: keys.session(invitation.eventId, change.sessionId),
          ...(adds.length ? { UpdateExpression: `ADD ${adds.join(', ')}` } : { UpdateExpression: 'SET #capacity = :cap' }),
          ConditionExpression: conditions.join(' AND '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      };
    });
    const items: TransactItem[] = [
      ...sessionItems,
      {
        Put: {
          TableName: this.tableName,
          Item: { ...keys.invitation(invitation.eventId, invitation.id), type: 'invitation', ...invitation },
          ConditionExpression: 'version = :expected',
          ExpressionAttributeValues: { ':expected': commit.expectedVersion },
        },
      },
      ...(commit.accreditation
        ? [
            {
              Put: {
                TableName: this.accreditationTableName(),
                Item: { ...keys.accreditation(invitation.eventId, invitation.id), type: 'accreditation', invitationId: invitation.id, ...commit.accreditation },
              },
            },
          ]
        : []),
      ...(commit.removeAccreditation ? [{ Delete: { TableName: this.accreditationTableName(), Key: keys.accreditation(invitation.eventId, invitation.id) } }] : []),
      ...(commit.companionAccreditations ?? []).map(({ holder, accreditation }): TransactItem => ({
        Put: {
          TableName: this.accreditationTableName(),
          Item: { ...keys.accreditation(invitation.eventId, invitation.id, holder), type: 'accreditation', invitationId: invitation.id, holder, ...accreditation },
        },
      })),
      ...(commit.removeCompanionAccreditations ?? []).map((holder): TransactItem => ({
        Delete: { TableName: this.accreditationTableName(), Key: keys.accreditation(invitation.eventId, invitation.id, holder) },
      })),
      ...(commit.waitlist ?? []).map((w): TransactItem =>
        w.op === 'add'
          ? {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.waitlist(invitation.eventId, w.sessionId, w.ticket), type: 'waitlist', invitationId: invitation.id, ticket: w.ticket, seats: w.seats },
              },
            }
          : { Delete: { TableName: this.tableName, Key: keys.waitlist(invitation.eventId, w.sessionId, w.ticket) } },
      ),
      ...commit.events.map((e) => this.outboxPut(e)),
      // A replaced invitee's deputy gets a link of their own; the old token item stays, pointing here, so the old link can say it was passed on.
      ...(commit.newTokenHash
        ? [
            {
              Put: {
                TableName: this.tableName,
                Item: { ...keys.token(commit.newTokenHash), type: 'token', eventId: invitation.eventId, invitationId: invitation.id },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ]
        : []),
      ...(commit.promotions ?? []).flatMap((p): TransactItem[] => [
        {
          Put: {
            TableName: this.tableName,
            Item: { ...keys.invitation(p.invitation.eventId, p.invitation.id), type: 'invitation', ...p.invitation },
            ConditionExpression: 'version = :expected',
            ExpressionAttributeValues: { ':expected': p.expectedVersion },
          },
        },
        ...p.places.map((w): TransactItem => ({ Delete: { TableName: this.tableName, Key: keys.waitlist(p.invitation.eventId, w.sessionId, w.ticket) } })),
        ...p.events.map((e) => this.outboxPut(e)),
      ]),
    ];
    await this.transact(items, (reasons) => {
      const seatConflicts = commit.sessionChanges.filter((_, i) => reasons[i] === 'ConditionalCheckFailed').map((c) => c.sessionId);
      return seatConflicts.length ? new SeatConflictError(seatConflicts) : new ConcurrentUpdateError('The invitation');
    });
  }

  async takeWaitlistTicket(eventId: string, sessionId: string): Promise<number> {
    const res = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.session(eventId, sessionId),
        UpdateExpression: 'ADD waitlistSeq :one',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':one': 1 },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return Number(res.Attributes!.waitlistSeq);
  }

  async listWaitlist(eventId: string, sessionId: string): Promise<WaitlistEntry[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.waitlist(eventId, sessionId, 0).pk },
      ConsistentRead: true,
    });
    return items.map((i) => ({ invitationId: i.invitationId as string, ticket: Number(i.ticket), seats: Number(i.seats) }));
  }

  async countWaitlistedBefore(eventId: string, sessionId: string, ticket: number): Promise<number> {
    const key = keys.waitlist(eventId, sessionId, ticket);
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND sk < :sk',
          ExpressionAttributeValues: { ':pk': key.pk, ':sk': key.sk },
          Select: 'COUNT',
          ExclusiveStartKey: start,
        }),
      );
      count += res.Count ?? 0;
      start = res.LastEvaluatedKey;
    } while (start);
    return count;
  }

  async repairCounters(eventId: string, sessionId: string, expected: SessionCounters, actual: SessionCounters, audit: { id: string; at: string }): Promise<RepairOutcome> {
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
      await this.doc.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: keys.session(eventId, sessionId),
                UpdateExpression: `SET ${sets.join(', ')}`,
                ConditionExpression: conditions.join(' AND '),
                ExpressionAttributeNames: names,
                ExpressionAttributeValues: values,
              },
            },
            {
              Put: {
                TableName: this.tableName,
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

  async removeStaleWaitlistEntry(eventId: string, sessionId: string, ticket: number, invitationId: string): Promise<boolean> {
    try {
      await this.doc.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keys.waitlist(eventId, sessionId, ticket),
          ConditionExpression: 'invitationId = :id',
          ExpressionAttributeValues: { ':id': invitationId },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error).name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async listEventIds(): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: '#t = :event',
          ExpressionAttributeNames: { '#t': 'type' },
          ExpressionAttributeValues: { ':event': 'event' },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: start,
        }),
      );
      ids.push(...(res.Items ?? []).map((i) => String(i.pk).slice('EVENT#'.length)));
      start = res.LastEvaluatedKey;
    } while (start);
    return ids;
  }

  async listAccreditations(eventId: string): Promise<Array<{ invitationId: string; holder?: string; accreditation: Accreditation }>> {
    const items = await this.queryAll(
      { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)', ExpressionAttributeValues: { ':pk': keys.eventDef(eventId).pk, ':a': 'ACCRED#' } },
      this.accreditationTableName(),
    );
    return items.map((i) => ({
      invitationId: i.invitationId as string,
      ...(i.holder ? { holder: i.holder as string } : {}),
      accreditation: { nationality: i.nationality as string, idDocumentNumber: i.idDocumentNumber as string },
    }));
  }

  private outboxPut(event: CumbreEvent): TransactItem {
    return { Put: { TableName: this.tableName, Item: outboxItem(event) } };
  }

  /**
   * Runs a transaction; a cancellation becomes the domain error `onCancel` builds from the
   * per-item reason codes (`ConditionalCheckFailed`, `TransactionConflict`, …).
   */
  private async transact(items: TransactItem[], onCancel: (reasons: Array<string | undefined>) => Error): Promise<void> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (err) {
      if (err instanceof TransactionCanceledException || (err as Error).name === 'TransactionCanceledException') {
        const reasons = ((err as TransactionCanceledException).CancellationReasons ?? []).map((r) => r.Code);
        if (reasons.some((r) => r && r !== 'None' && r !== 'ConditionalCheckFailed' && r !== 'TransactionConflict')) throw err;
        // Only collisions: every condition held, so the same commit may be tried again as it is.
        if (!reasons.includes('ConditionalCheckFailed') && reasons.includes('TransactionConflict')) throw new WriteCollisionError();
        throw onCancel(reasons);
      }
      if ((err as Error).name === 'TransactionConflictException') throw new WriteCollisionError();
      throw err;
    }
  }

  private async queryAll(input: Omit<QueryCommandInput, 'TableName'>, tableName = this.tableName): Promise<Record<string, unknown>[]> {
    const out: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const res = await this.doc.send(new QueryCommand({ ...input, TableName: tableName, ExclusiveStartKey: start }));
      out.push(...(res.Items ?? []));
      start = res.LastEvaluatedKey;
    } while (start);
    return out;
  }
}
