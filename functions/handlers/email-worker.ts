import { AlertSender } from '#domain/email/alerts.js';
import { EmailDeliveryService } from '#domain/email/delivery.js';
import { CommunicationSender } from '#domain/communications/sender.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { cumbreStore, documentClientFor, systemClock } from '#shared/clients.js';
import { loadAppKeys } from '#shared/app-keys.js';
import { communicationsStoreFor } from '#shared/communications.js';
import { describeEmailQueueMessage, parseEmailQueueMessage } from '#shared/email-queue.js';
import { emailConfig, loadConfig, organizerAlertConfig, ownQueueConfig, publicUrlConfig, secretConfig, tableConfig } from '#shared/config.js';
import { handBackWhileSending, sesMailerFor } from '#shared/mailer.js';
import { sqsMessageWorker, type HandBack } from '#shared/sqs-worker.js';
import { eventReadsPerBatch } from '#shared/batch-event-reads.js';

const config = loadConfig(tableConfig, secretConfig, publicUrlConfig, emailConfig, ownQueueConfig, organizerAlertConfig);
const keys = await loadAppKeys(config.SECRET_ARN);

/**
 * Every email Cumbre sends: one per effect of a change (outbox envelopes), the reminders and group
 * messages the schedule and organizers queue, and the capacity alerts the capacity worker queues;
 * each sent through SES v2 behind the email ledger.
 * A message another worker is still sending is handed back for the rest of that worker's lease.
 */
export const makeHandler = ({
  emails,
  communications,
  alerts,
  handBack,
  newBatch,
}: {
  emails: EmailDeliveryService;
  communications: CommunicationSender;
  alerts: AlertSender;
  handBack?: HandBack;
  newBatch?: () => void;
}) =>
  sqsMessageWorker(
    parseEmailQueueMessage,
    describeEmailQueueMessage,
    (message) => ('communication' in message ? communications.deliver(message.communication) : 'alert' in message ? alerts.deliver(message.alert) : emails.handle(message.event)),
    { handBack, newBatch },
  );

const ledger = new DynamoEmailLedger(documentClientFor(), config.TABLE_NAME);
const mailer = sesMailerFor(config);
const sender = { name: config.SENDER_NAME, address: config.SENDER_EMAIL };
// The event each email shows, read once per batch; invitations and everything else per message.
const events = eventReadsPerBatch(cumbreStore(config.TABLE_NAME));
const store = communicationsStoreFor(config.TABLE_NAME, events.store);
const leaseMs = config.EMAIL_LEASE_SECONDS * 1000;
export const handler = makeHandler({
  handBack: handBackWhileSending(config.QUEUE_URL),
  newBatch: events.newBatch,
  emails: new EmailDeliveryService({
    reader: events.store,
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
  alerts: new AlertSender({
    reader: events.store,
    ledger,
    mailer,
    clock: systemClock,
    sender,
    organizers: config.ORGANIZER_ALERT_EMAIL,
    language: config.ORGANIZER_LANGUAGE,
    leaseMs,
  }),
});
