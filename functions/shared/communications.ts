import { CommunicationsService } from '#domain/communications/service.js';
import type { CommunicationQueue } from '#domain/communications/ports.js';
import { DynamoCommunicationsStore } from '#adapters/dynamo-communications.js';
import { cumbreStore, documentClientFor, systemClock } from './clients.js';

/** For functions that only read (the unsubscribe page): queueing is the schedule's and the organizers' job. */
const noQueue: CommunicationQueue = {
  enqueue: async (messages) => {
    if (messages.length) throw new Error('This function has no email queue to send to');
  },
};

/** `core` is the main store it reads events and invitations through (default: its own). */
export const communicationsStoreFor = (tableName: string, core = cumbreStore(tableName)) => new DynamoCommunicationsStore(documentClientFor(), tableName, core);

/**
 * Reminders and group messages, wired per capability (as `mailer.ts` and `badges.ts` are): the
 * store on the main table, and the email queue when the function queues (the SQS client stays out
 * of bundles that do not: `SqsCommunicationQueue` is passed in by the handlers that need it).
 */
export const communicationsFor = (config: { TABLE_NAME: string; PUBLIC_BASE_URL: string }, queue: CommunicationQueue = noQueue) =>
  new CommunicationsService({ store: communicationsStoreFor(config.TABLE_NAME), queue, clock: systemClock, publicBaseUrl: config.PUBLIC_BASE_URL });
