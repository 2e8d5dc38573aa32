import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import * as z from '#domain/zod.js';
import { auditQuerySchema, auditRange, filterAudit } from '#domain/access/audit-query.js';
import { auditCsv, PEOPLE_SCOPE, type AuditTrail } from '#domain/access/audit.js';
import { inviteSchema, PeopleService, updateRolesSchema, type Directory, type PeopleChangeLog } from '#domain/access/people.js';
import type { CumbreStore } from '#domain/ports.js';
import { CognitoDirectory } from '#adapters/cognito-directory.js';
import { DynamoAuditTrail } from '#adapters/dynamo-audit-trail.js';
import { DynamoPeopleChanges } from '#adapters/dynamo-people-changes.js';
import { logger } from '#shared/observability.js';
import { organizerHandler } from '#shared/access.js';
import { cumbreStore, documentClientFor } from '#shared/clients.js';
import { auditConfig, loadConfig, tableConfig } from '#shared/config.js';
import { csvDownload, header, json, parseJsonBody, parseWith, pathParam } from '#shared/http.js';

const config = loadConfig(tableConfig, auditConfig, z.object({ USER_POOL_ID: z.string().check(z.minLength(1)) }));

/**
 * `admin`'s people routes: `GET /people`, `POST /people` (invite), `PUT /people/{username}`
 * (roles), `DELETE /people/{username}`, and `GET /people/audit` (who changed whom; CSV with
 * `Accept: text/csv`).
 */
export const makeHandler = ({ directory, store, audit, changes }: { directory: Directory; store: Pick<CumbreStore, 'getEvent'>; audit: AuditTrail; changes: PeopleChangeLog }) =>
  organizerHandler(
    async (event, organizer) => {
      const people = new PeopleService({
        directory,
        store,
        changes,
        entry: organizer.auditEntry,
        log: (message, detail) => logger.error(message, detail),
      });
      switch (event.routeKey) {
        case 'GET /people':
          return json(200, { items: await people.list() });
        case 'POST /people':
          return json(201, await people.invite(parseWith(inviteSchema, parseJsonBody(event, 16 * 1024))));
        case 'PUT /people/{username}':
          return json(200, await people.setRoles(organizer.principal, pathParam(event, 'username'), parseWith(updateRolesSchema, parseJsonBody(event, 16 * 1024)).roles));
        case 'DELETE /people/{username}':
          await people.remove(organizer.principal, pathParam(event, 'username'));
          return json(200, { removed: pathParam(event, 'username') });
        default: {
          const query = parseWith(auditQuerySchema, event.queryStringParameters ?? {});
          const entries = filterAudit(await audit.list(PEOPLE_SCOPE, auditRange(query)), query);
          return (header(event, 'accept') ?? '').includes('text/csv') ? csvDownload('people-audit.csv', auditCsv(entries)) : json(200, { items: entries });
        }
      }
    },
    { audit },
  );

export const handler = makeHandler({
  directory: new CognitoDirectory(new CognitoIdentityProviderClient({}), config.USER_POOL_ID),
  store: cumbreStore(config.TABLE_NAME),
  audit: new DynamoAuditTrail(documentClientFor(), config.AUDIT_TABLE),
  changes: new DynamoPeopleChanges(documentClientFor(), config.TABLE_NAME, config.AUDIT_TABLE),
});
