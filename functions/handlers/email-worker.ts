import { EmailDeliveryService } from '#domain/email/delivery.js';
import { CommunicationSender } from '#domain/communications/sender.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { cumbreStore, documentClientFor, loadAppKeys, systemClock } from '#shared/clients.js';
import { communicationsStoreFor } from '#shared/communications.js';
import { describeEmailQueueMessage, parseEmailQueueMessage } from '#shared/email-queue.js';
import { emailConfig, loadConfig, publicUrlConfig, secretConfig, tableConfig } from '#shared/config.js';
import { sesMailerFor } from '#shared/mailer.js';
import { sqsMessageWorker } from '#shared/sqs-worker.js';

const config = loadConfig(tableConfig.extend(secretConfig.shape).extend(publicUrlConfig.shape).extend(emailConfig.shape));
const keys = await loadAppKeys(config.SECRET_ARN);

/**
 * Invitee emails: one per effect of a change (outbox envelopes), and the reminders and group
 * messages the schedule and organizers queue; each sent through SES v2 behind the email ledger.
 */
export const makeHandler = ({ emails, communications }: { emails: EmailDeliveryService; communications: CommunicationSender }) =>
  sqsMessageWorker(parseEmailQueueMessage, describeEmailQueueMessage, (message) =>
    'communication' in message ? communications.deliver(message.communication) : emails.handle(message.event),
  );

const ledger = new DynamoEmailLedger(documentClientFor(), config.TABLE_NAME);
const mailer = sesMailerFor(config);
const sender = { name: config.SENDER_NAME, address: config.SENDER_EMAIL };
const store = communicationsStoreFor(config.TABLE_NAME);
const leaseMs = config.EMAIL_LEASE_SECONDS * 1000;
export const handler = makeHandler({
  emails: new EmailDeliveryService({
    reader: cumbreStore(config.TABLE_NAME),
    ledger,
    deliveries: ledger,
    mailer,
    clock: systemClock,
    tokenSecret: keys.rsvpTokens,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    sender,
    leaseMs,
    suppressions: store,
  }),
  communications: new CommunicationSender({
    store,
    clock: systemClock,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    ledger,
    mailer,
    deliveries: ledger,
    tokenSecret: keys.rsvpTokens,
    unsubscribeKey: keys.unsubscribe,
    sender,
    leaseMs,
  }),
});
