import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { localCloud, mailTo } from './support.js';

/** The local cloud's SES endpoint (the one every function is given) answers as SES would. */
describe('SES on the local cloud', () => {
  const send = (to: string, tags: Array<{ Name: string; Value: string }>) => {
    const info = localCloud();
    const ses = new SESv2Client({ endpoint: info.endpoints.sesv2, region: info.region, credentials: info.credentials, maxAttempts: 1 });
    return ses.send(
      new SendEmailCommand({
        FromEmailAddress: 'invitations@cumbre.example',
        Destination: { ToAddresses: [to] },
        Content: { Simple: { Subject: { Data: 'strict' }, Body: { Text: { Data: 'strict' } } } },
        EmailTags: tags,
      }),
    );
  };

  it('refuses a tag value SES refuses, as BadRequestException, and stores nothing', async () => {
    const to = `strict.${randomUUID().slice(0, 8)}@cumbre.example`;
    await expect(send(to, [{ Name: 'emailId', Value: 'confirmation_x_2026-11-29T19_18_49.591Z' }])).rejects.toMatchObject({
      name: 'BadRequestException',
      $metadata: { httpStatusCode: 400 },
    });
    expect(await mailTo(localCloud(), to)).toEqual([]);
  });

  it('passes what SES takes on to aws-ses-v2-local', async () => {
    const to = `strict.${randomUUID().slice(0, 8)}@cumbre.example`;
    const res = await send(to, [{ Name: 'emailId', Value: 'confirmation_x_2026-11-29T19_18_49_591Z' }]);
    expect(res.MessageId).toBeTruthy();
    expect((await mailTo(localCloud(), to)).map((m) => m.subject)).toEqual(['strict']);
  });
});
