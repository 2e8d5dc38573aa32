import { EmailDeliveryService } from '#domain/email/delivery.js';
import { DynamoEmailLedger } from '#adapters/dynamo-email-ledger.js';
import { cumbreStore, documentClientFor, loadAppKeys, systemClock } from '#shared/clients.js';
import { emailConfig, loadConfig, ownQueueConfig, publicUrlConfig, secretConfig, tableConfig } from '#shared/config.js';
import { handBackWhileSending, sesMailerFor } from '#shared/mailer.js';
import { sqsWorker, type HandBack } from '#shared/sqs-worker.js';

const config = loadConfig(tableConfig.extend(secretConfig.shape).extend(publicUrlConfig.shape).extend(emailConfig.shape).extend(ownQueueConfig.shape));
const keys = await loadAppKeys(config.SECRET_ARN);

/** Invitee emails: one per effect of a change, sent through SES v2 behind the email ledger. */
export const makeHandler = ({ emails, handBack }: { emails: EmailDeliveryService; handBack?: HandBack }) => sqsWorker((envelope) => emails.handle(envelope.event), { handBack });

const ledger = new DynamoEmailLedger(documentClientFor(), config.TABLE_NAME);
export const handler = makeHandler({
  handBack: handBackWhileSending(config.QUEUE_URL),
  emails: new EmailDeliveryService({
    reader: cumbreStore(config.TABLE_NAME),
    ledger,
    deliveries: ledger,
    mailer: sesMailerFor(config),
    clock: systemClock,
    tokenSecret: keys.rsvpTokens,
    publicBaseUrl: config.PUBLIC_BASE_URL,
    sender: { name: config.SENDER_NAME, address: config.SENDER_EMAIL },
    leaseMs: config.EMAIL_LEASE_SECONDS * 1000,
  }),
});
