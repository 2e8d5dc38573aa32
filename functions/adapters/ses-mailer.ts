import { SendEmailCommand, SESv2ServiceException, type SESv2Client } from '@aws-sdk/client-sesv2';
import type { Mailer, OutgoingEmail } from '#domain/email/delivery.js';
import { PermanentEmailError, TransientEmailError } from '#domain/email/errors.js';

/** SES v2 errors that no retry can fix. */
const PERMANENT = new Set([
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'AccountSuspendedException',
  'SendingPausedException',
  'BadRequestException',
  'NotFoundException',
]);

/**
 * A rejection is about the recipient when SES names the recipient's address and not the sender's
 * (sandbox: "Email address is not verified … <recipient>"), or calls the address illegal.
 * Everything else (sender identity, account, a malformed request) stops all mail.
 */
export const rejectionAbout = (message: string, to: string, from: string): 'recipient' | 'sending' => {
  const text = message.toLowerCase();
  const sender = (/<([^>]+)>/.exec(from)?.[1] ?? from).toLowerCase();
  const senderDomain = sender.split('@')[1] ?? sender;
  if (/illegal address|invalid (recipient|to address)/.test(text)) return 'recipient';
  return text.includes(to.toLowerCase()) && !text.includes(sender) && !text.includes(`: ${senderDomain}`) ? 'recipient' : 'sending';
};

/** SES v2 behind the Mailer port: raw MIME, the configuration set for bounce/complaint events, tags. */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly options: {
      fromAddress: string;
      configurationSet?: string;
      /** Told of every permanent rejection (the workers count them as a metric that alarms ops). */
      onRejected?: (error: PermanentEmailError) => void;
    },
  ) {}

  async send(email: OutgoingEmail): Promise<string> {
    try {
      const res = await this.ses.send(
        new SendEmailCommand({
          FromEmailAddress: this.options.fromAddress,
          Destination: { ToAddresses: [email.to] },
          Content: { Raw: { Data: email.raw } },
          ...(this.options.configurationSet ? { ConfigurationSetName: this.options.configurationSet } : {}),
          EmailTags: Object.entries(email.tags).map(([Name, Value]) => ({ Name, Value })),
        }),
      );
      if (!res.MessageId) throw new TransientEmailError('SES accepted the message without an id');
      return res.MessageId;
    } catch (err) {
      if (err instanceof PermanentEmailError || err instanceof TransientEmailError) throw err;
      const name = (err as Error).name;
      if (PERMANENT.has(name)) {
        const rejected = new PermanentEmailError(`${name}: ${(err as Error).message}`, rejectionAbout((err as Error).message, email.to, this.options.fromAddress));
        this.options.onRejected?.(rejected);
        throw rejected;
      }
      const status = err instanceof SESv2ServiceException ? err.$metadata.httpStatusCode : undefined;
      throw new TransientEmailError(`${name}${status ? ` (${status})` : ''}: ${(err as Error).message}`);
    }
  }
}
