import { BatchGetCommand, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConcurrentUpdateError } from '#domain/errors.js';
import type { Accreditation, Invitation } from '#domain/model.js';
import type { NewInvitation } from '#domain/ports.js';
import type { AuditEntry } from '#domain/access/audit.js';
import { keys, TOKEN_INDEX } from '../dynamo-keys.js';
import { chunk, strip, type StoreTable, type TransactItem } from './table.js';

/** Token → invitation keys a warm function remembers (a summit has a few thousand invitees). */
const TOKEN_TARGETS_KEPT = 20_000;

/** Invitations: read by key, by token, by event; created in batches with their token index and outbox records. */
export class DynamoInvitationRecords {
  private readonly tokenTargets = new Map<string, { eventId: string; invitationId: string }>();
  constructor(private readonly table: StoreTable) {}

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
    const token = await this.table.doc.send(new GetCommand({ TableName: this.table.tableName, Key: keys.token(tokenHash), ConsistentRead: true }));
    if (!token.Item) return undefined;
    const target = { eventId: token.Item.eventId as string, invitationId: token.Item.invitationId as string };
    const invitation = await this.getInvitation(target.eventId, target.invitationId);
    if (invitation?.tokenHash !== tokenHash) return invitation;
    if (this.tokenTargets.size >= TOKEN_TARGETS_KEPT) this.tokenTargets.clear();
    this.tokenTargets.set(tokenHash, target);
    return invitation;
  }

  /** One Query on the token index (eventually consistent, as every index read is). */
  async peekInvitationByTokenHash(tokenHash: string): Promise<Invitation | undefined> {
    const res = await this.table.doc.send(
      new QueryCommand({
        TableName: this.table.tableName,
        IndexName: TOKEN_INDEX,
        KeyConditionExpression: 'tokenHash = :h',
        ExpressionAttributeValues: { ':h': tokenHash },
        Limit: 1,
      }),
    );
    const invitation = strip<Invitation>(res.Items?.[0]);
    return invitation?.tokenHash === tokenHash ? invitation : undefined;
  }

  async getInvitation(eventId: string, invitationId: string): Promise<Invitation | undefined> {
    const res = await this.table.doc.send(new GetCommand({ TableName: this.table.tableName, Key: keys.invitation(eventId, invitationId), ConsistentRead: true }));
    return strip<Invitation>(res.Item);
  }

  async getInvitations(eventId: string, invitationIds: string[]): Promise<Invitation[]> {
    const { doc, tableName } = this.table;
    const found: Invitation[] = [];
    for (const ids of chunk([...new Set(invitationIds)], 100)) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ConsistentRead: boolean }> | undefined = {
        [tableName]: { Keys: ids.map((id) => keys.invitation(eventId, id)), ConsistentRead: true },
      };
      for (let attempt = 0; request && Object.keys(request).length; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, Math.min(1000, 25 * 2 ** attempt)));
        const res = await doc.send(new BatchGetCommand({ RequestItems: request }));
        found.push(...(res.Responses?.[tableName] ?? []).map((i) => strip<Invitation>(i)!));
        request = res.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  async listInvitations(eventId: string): Promise<Invitation[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :inv)',
      ExpressionAttributeValues: { ':pk': keys.invitation(eventId, '').pk, ':inv': 'INV#' },
    });
    return items.map((i) => strip<Invitation>(i)!);
  }

  async createInvitations(items: NewInvitation[], audit?: AuditEntry): Promise<void> {
    const { tableName } = this.table;
    // Three records per invitation (invitation, token index, outbox) within the 100-action limit.
    const batches = chunk(items, 25);
    if (audit && batches.length > 1) throw new Error('An audited creation is one transaction: at most 25 invitations');
    const run = async (batch: NewInvitation[]) => {
      const transactItems: TransactItem[] = batch.flatMap(({ invitation, events }) => [
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.invitation(invitation.eventId, invitation.id), type: 'invitation', ...invitation },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: tableName,
            Item: { ...keys.token(invitation.tokenHash), type: 'token', eventId: invitation.eventId, invitationId: invitation.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...this.table.outboxPuts(events),
      ]);
      if (audit) transactItems.push(this.table.auditPut(audit));
      await this.table.transact(transactItems, () => new ConcurrentUpdateError('An invitation in this import'));
    };
    // A few transactions in flight at once: 10,000 rows take seconds, not minutes.
    for (const group of chunk(batches, 4)) await Promise.all(group.map(run));
  }

  /** The invitees' and companions' nationality and ID documents, from the accreditation table. */
  async listAccreditations(eventId: string): Promise<Array<{ invitationId: string; holder?: string; accreditation: Accreditation }>> {
    const items = await this.table.queryAll(
      { KeyConditionExpression: 'pk = :pk AND begins_with(sk, :a)', ExpressionAttributeValues: { ':pk': keys.eventDef(eventId).pk, ':a': 'ACCRED#' } },
      this.table.accreditationTableName(),
    );
    return items.map((i) => ({
      invitationId: i.invitationId as string,
      ...(i.holder ? { holder: i.holder as string } : {}),
      accreditation: { nationality: i.nationality as string, idDocumentNumber: i.idDocumentNumber as string },
    }));
  }
}
