import { SendEmailCommand, SESv2ServiceException, type SESv2Client } from '@aws-sdk/client-sesv2';
import { PermanentEmailError, TransientEmailError, type Mailer, type OutgoingEmail } from '#domain/email/delivery.js';

/** SES v2 errors that no retry can fix. */
const PERMANENT = new Set(['MessageRejected', 'MailFromDomainNotVerifiedException', 'AccountSuspendedException', 'SendingPausedException', 'BadRequestException', 'NotFoundException']);

/** SES v2 behind the Mailer port: raw MIME, the configuration set for bounce/complaint events, tags. */
export class SesMailer implements Mailer {
  constructor(
    private readonly ses: SESv2Client,
    private readonly options: { fromAddress: string; configurationSet?: string },
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
      if (PERMANENT.has(name)) throw new PermanentEmailError(`${name}: ${(err as Error).message}`);
      const status = err instanceof SESv2ServiceException ? err.$metadata.httpStatusCode : undefined;
      throw new TransientEmailError(`${name}${status ? ` (${status})` : ''}: ${(err as Error).message}`);
    }
  }
}
