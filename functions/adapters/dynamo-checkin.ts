import { PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BadgeVersions, ScanStore, StoredScan } from '#domain/checkin/service.js';
import type { CurrentBadge } from '#domain/checkin/revocations.js';
import { tryWrite } from './dynamo-conditions.js';
import { keys } from './dynamo-keys.js';
import { queryAll } from './dynamo-pages.js';

const SCAN_FIELDS = ['id', 'session', 'door', 'device', 'at', 'verdict', 'reason', 'i', 'h', 'n', 'uploadedBy', 'uploadedAt'] as const;

/**
 * Door scans (`EVENT#<id>` / `SCAN#<scan id>`), each written once: the scan id is the upload's
 * idempotency key, so a retried or repeated upload finds its records and writes nothing. The
 * badge ledger (`BADGE#<invitation>[#<holder>]`) is read for the version each current badge was
 * printed from.
 */
export class DynamoCheckinStore implements ScanStore, BadgeVersions {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  private query(pk: string, prefix: string): Promise<Array<Record<string, unknown>>> {
    return queryAll(this.doc, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':pk': pk, ':p': prefix },
      ConsistentRead: true,
    });
  }

  async put(eventId: string, scan: StoredScan): Promise<'recorded' | 'already'> {
    const recorded = await tryWrite(() =>
      this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.scan(eventId, scan.id), type: 'scan', ...scan },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    return recorded ? 'recorded' : 'already';
  }

  async list(eventId: string): Promise<StoredScan[]> {
    const items = await this.query(keys.eventDef(eventId).pk, 'SCAN#');
    return items.map(
      (item) => Object.fromEntries(SCAN_FIELDS.filter((f) => item[f] !== undefined).map((f) => [f, f === 'n' ? Number(item[f]) : item[f]])) as unknown as StoredScan,
    );
  }

  async listBadges(eventId: string): Promise<CurrentBadge[]> {
    const items = await this.query(keys.eventDef(eventId).pk, 'BADGE#');
    return items
      .filter((item) => item.badgeVersion !== undefined)
      .map((item) => {
        const [, invitationId, holder = ''] = String(item.sk).split('#');
        return { invitationId, holder: typeof item.holder === 'string' ? item.holder : holder, version: Number(item.badgeVersion) };
      });
  }
}
