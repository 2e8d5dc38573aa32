import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ConcurrentUpdateError, SeatConflictError, type CountersFound } from '#domain/errors.js';
import type { Invitation } from '#domain/model.js';
import type { InvitationCommit, SessionChange, WaitlistChange } from '#domain/ports.js';
import { keys } from '../dynamo-keys.js';
import { counterAdds, readCounterRecord, type StoreTable, type TransactItem } from './table.js';
import { promotionItems } from './waitlist.js';

/**
 * A session counter's part of an answer: the deltas, conditioned on the capacity the plan read and
 * on the seats fitting (`mustFit`) or not fitting (`mustNotFit`, a waitlist place) as it assumed.
 */
const sessionChangeItem = (table: StoreTable, eventId: string, change: SessionChange): TransactItem => {
  const names: Record<string, string> = { '#capacity': 'capacity' };
  const values: Record<string, unknown> = { ':cap': change.capacity };
  const adds = counterAdds(change.delta, names, values);
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
      TableName: table.tableName,
      Key: keys.session(eventId, change.sessionId),
      ...(adds.length ? { UpdateExpression: `ADD ${adds.join(', ')}` } : { UpdateExpression: 'SET #capacity = :cap' }),
      ConditionExpression: conditions.join(' AND '),
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
      // A lost race returns the counters it lost to: the retry plans on them instead of reading the event again.
      ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
    },
  };
};

/** A counter record as a cancellation returned it (raw attribute values), or undefined when it is not one. */
const countersFound = (item: Record<string, AttributeValue> | undefined): CountersFound | undefined => {
  const { capacity, ...record } = readCounterRecord(item ? unmarshall(item) : {});
  return capacity === undefined ? undefined : { ...record, capacity };
};

/** The invitee's and companions' accreditation records written or deleted, in the accreditation table. */
const accreditationItems = (table: StoreTable, commit: InvitationCommit, invitation: Invitation): TransactItem[] => [
  ...(commit.accreditation
    ? [
        {
          Put: {
            TableName: table.accreditationTableName(),
            Item: { ...keys.accreditation(invitation.eventId, invitation.id), type: 'accreditation', invitationId: invitation.id, ...commit.accreditation },
          },
        },
      ]
    : []),
  ...(commit.removeAccreditation ? [{ Delete: { TableName: table.accreditationTableName(), Key: keys.accreditation(invitation.eventId, invitation.id) } }] : []),
  ...(commit.companionAccreditations ?? []).map(({ holder, accreditation }): TransactItem => ({
    Put: {
      TableName: table.accreditationTableName(),
      Item: { ...keys.accreditation(invitation.eventId, invitation.id, holder), type: 'accreditation', invitationId: invitation.id, holder, ...accreditation },
    },
  })),
  ...(commit.removeCompanionAccreditations ?? []).map((holder): TransactItem => ({
    Delete: { TableName: table.accreditationTableName(), Key: keys.accreditation(invitation.eventId, invitation.id, holder) },
  })),
];

const waitlistItem = (table: StoreTable, invitation: Invitation, w: WaitlistChange): TransactItem =>
  w.op === 'add'
    ? {
        Put: {
          TableName: table.tableName,
          Item: { ...keys.waitlist(invitation.eventId, w.sessionId, w.ticket), type: 'waitlist', invitationId: invitation.id, ticket: w.ticket, seats: w.seats },
          ...(w.newPlace ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}),
        },
      }
    : { Delete: { TableName: table.tableName, Key: keys.waitlist(invitation.eventId, w.sessionId, w.ticket) } };

/**
 * Everything one change to an invitation writes, as one transaction's items. The session counters
 * come first: a cancellation's reason codes name the sessions by position.
 */
export const invitationCommitItems = (table: StoreTable, commit: InvitationCommit): TransactItem[] => {
  const { invitation } = commit;
  return [
    ...commit.sessionChanges.map((change) => sessionChangeItem(table, invitation.eventId, change)),
    {
      Put: {
        TableName: table.tableName,
        Item: { ...keys.invitation(invitation.eventId, invitation.id), type: 'invitation', ...invitation },
        ConditionExpression: 'version = :expected',
        ExpressionAttributeValues: { ':expected': commit.expectedVersion },
      },
    },
    ...accreditationItems(table, commit, invitation),
    ...(commit.waitlist ?? []).map((w) => waitlistItem(table, invitation, w)),
    ...table.outboxPuts(commit.events),
    // A replaced invitee's deputy gets a link of their own; the old token item stays, pointing here, so the old link can say it was passed on.
    ...(commit.newTokenHash
      ? [
          {
            Put: {
              TableName: table.tableName,
              Item: { ...keys.token(commit.newTokenHash), type: 'token', eventId: invitation.eventId, invitationId: invitation.id },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : []),
    ...(commit.promotions ?? []).flatMap((p) => promotionItems(table, p)),
    ...(commit.audit ? [table.auditPut(commit.audit)] : []),
  ];
};

/**
 * Commits a change to an invitation in one transaction. A failed seat condition names its sessions
 * (`SeatConflictError`: the plan assumed seats that are gone, or free); any other failed condition
 * is a concurrent change to the invitation or a promoted one.
 */
export async function commitInvitation(table: StoreTable, commit: InvitationCommit): Promise<void> {
  await table.transact(invitationCommitItems(table, commit), (reasons, items) => {
    const seatConflicts = commit.sessionChanges.filter((_, i) => reasons[i] === 'ConditionalCheckFailed').map((c) => c.sessionId);
    if (!seatConflicts.length) return new ConcurrentUpdateError('The invitation');
    // The counters say what the retry needs only when nothing else failed (the invitation, a promotion).
    const onlySeats = reasons.slice(commit.sessionChanges.length).every((r) => r !== 'ConditionalCheckFailed');
    const found: Record<string, CountersFound> = {};
    commit.sessionChanges.forEach((c, i) => {
      const counters = reasons[i] === 'ConditionalCheckFailed' ? countersFound(items[i]) : undefined;
      if (counters) found[c.sessionId] = counters;
    });
    return new SeatConflictError(seatConflicts, onlySeats && seatConflicts.every((id) => found[id]) ? found : undefined);
  });
}
