import type { Context } from 'aws-lambda';
import { createCredentialSigner, seedFromSecret, verifyCredential } from '#domain/badge/credential.js';
import { CheckinService, uploadSchema } from '#domain/checkin/service.js';
import type { CumbreStore } from '#domain/ports.js';
import { DynamoCheckinStore } from '#adapters/dynamo-checkin.js';
import { organizerHandler } from '#shared/access.js';
import { cumbreStore, documentClientFor, systemClock } from '#shared/clients.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { loadConfig, secretConfig, tableConfig } from '#shared/config.js';
import { csvExportHandler } from '#shared/csv-export.js';
import { json, parseJsonBody, parseWith, pathParam, type HttpEvent } from '#shared/http.js';

const config = loadConfig(tableConfig, secretConfig);
const keys = await loadAppKeys(config.SECRET_ARN);

/** An upload holds at most 100 scans of under 1 KB each. */
const UPLOAD_LIMIT_BYTES = 128 * 1024;

/**
 * Check-in at the doors. `GET …/checkin`: the door device's package (people, signed revocation
 * list, arrivals so far); `POST …/checkin/scans`: its scans, idempotent by scan id; `GET
 * …/checkin/arrivals`: arrivals per session for the dashboard; `GET …/checkin.csv`: the export.
 */
export const makeHandler = ({ checkin, store }: { checkin: CheckinService; store: CumbreStore }) => {
  const csv = csvExportHandler('checkin', (_store, eventId, language) => checkin.csv(eventId, language))({ store });
  const api = organizerHandler(async (event, organizer) => {
    const eventId = pathParam(event, 'eventId');
    switch (organizer.route) {
      case 'POST /events/{eventId}/checkin/scans':
        return json(200, await checkin.upload(eventId, parseWith(uploadSchema, parseJsonBody(event, UPLOAD_LIMIT_BYTES)), organizer.principal.email || organizer.principal.sub));
      case 'GET /events/{eventId}/checkin/arrivals':
        return json(200, await checkin.arrivals(eventId));
      default:
        return json(200, await checkin.doorPackage(eventId));
    }
  });
  return (event: HttpEvent, context: Context) => (event.routeKey === 'GET /events/{eventId}/checkin.csv' ? csv(event, context) : api(event, context));
};

const signer = createCredentialSigner(seedFromSecret(keys.badgeSigning));
const scans = new DynamoCheckinStore(documentClientFor(), config.TABLE_NAME);
const store = cumbreStore(config.TABLE_NAME);

export const handler = makeHandler({
  store,
  checkin: new CheckinService({
    store,
    scans,
    badges: scans,
    signer,
    verify: (token) => verifyCredential(token, signer.publicKeyRaw),
    clock: systemClock,
  }),
});
