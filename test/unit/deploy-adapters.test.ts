import { HeadObjectCommand, ListObjectsV2Command, S3Client, S3ServiceException } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PermanentEmailError } from '#domain/email/delivery.js';
import { S3BadgeStorage } from '#adapters/s3-badge-storage.js';
import { rejectionAbout, SesMailer } from '#adapters/ses-mailer.js';
import { putMetric } from '#shared/observability.js';

const s3 = mockClient(S3Client);
const ses = mockClient(SESv2Client);
afterEach(() => {
  s3.reset();
  ses.reset();
});

const KEY = 'sheets/na-mayors-summit-2019/A4-abc.pdf';
/** What S3 answers a HeadObject on a missing key when the role may not list the bucket. */
const forbidden = () => new S3ServiceException({ name: 'Forbidden', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Forbidden' });

describe('the print sheet on a bucket the role may not list wholesale', () => {
  it('tells a missing sheet from a present one without HeadObject (S3 answers it 403 without s3:ListBucket)', async () => {
    s3.on(HeadObjectCommand).rejects(forbidden());
    s3.on(ListObjectsV2Command, { Bucket: 'b', Prefix: KEY }).resolves({ Contents: [] });
    const storage = new S3BadgeStorage(new S3Client({ region: 'us-east-1' }), 'b');
    expect(await storage.exists(KEY)).toBe(false);
    s3.on(ListObjectsV2Command, { Bucket: 'b', Prefix: KEY }).resolves({ Contents: [{ Key: KEY }] });
    expect(await storage.exists(KEY)).toBe(true);
    // A longer key under the same prefix is another sheet.
    s3.on(ListObjectsV2Command, { Bucket: 'b', Prefix: KEY }).resolves({ Contents: [{ Key: `${KEY}.old` }] });
    expect(await storage.exists(KEY)).toBe(false);
    expect(s3.commandCalls(HeadObjectCommand)).toHaveLength(0);
  });

  it('still fails loudly when listing itself is denied', async () => {
    s3.on(ListObjectsV2Command).rejects(new S3ServiceException({ name: 'AccessDenied', $fault: 'client', $metadata: { httpStatusCode: 403 }, message: 'Access Denied' }));
    await expect(new S3BadgeStorage(new S3Client({ region: 'us-east-1' }), 'b').exists(KEY)).rejects.toThrow(/Access Denied/);
  });
});

describe('SES rejections: the recipient’s problem, or everyone’s', () => {
  const FROM = 'Cumbre <invitations@cumbre.example>';
  it('classifies what SES says', () => {
    expect(rejectionAbout('Email address is not verified. The following identities failed the check in region US-EAST-1: mayor@city.example', 'mayor@city.example', FROM)).toBe(
      'recipient',
    );
    expect(rejectionAbout('Illegal address', 'x@y', FROM)).toBe('recipient');
    expect(
      rejectionAbout(
        'Email address is not verified. The following identities failed the check in region US-EAST-1: invitations@cumbre.example, mayor@city.example',
        'mayor@city.example',
        FROM,
      ),
    ).toBe('sending');
    expect(rejectionAbout('Email address is not verified. The following identities failed the check in region US-EAST-1: cumbre.example', 'mayor@city.example', FROM)).toBe(
      'sending',
    );
    expect(rejectionAbout('Invalid message tag value', 'mayor@city.example', FROM)).toBe('sending');
    expect(rejectionAbout('Sending paused for this account', 'mayor@city.example', FROM)).toBe('sending');
  });

  it('tells the worker of each permanent rejection, and only of those', async () => {
    const rejected: PermanentEmailError[] = [];
    const mailer = new SesMailer(new SESv2Client({ region: 'us-east-1', maxAttempts: 1 }), { fromAddress: FROM, onRejected: (e) => rejected.push(e) });
    const email = { emailId: 'e', to: 'mayor@city.example', raw: new Uint8Array([1]), tags: { kind: 'invitation' } };
    ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error('Invalid message tag value'), { name: 'BadRequestException', $metadata: { httpStatusCode: 400 } }));
    await expect(mailer.send(email)).rejects.toBeInstanceOf(PermanentEmailError);
    ses.on(SendEmailCommand).rejectsOnce(Object.assign(new Error('Maximum sending rate exceeded'), { name: 'TooManyRequestsException', $metadata: { httpStatusCode: 429 } }));
    await expect(mailer.send(email)).rejects.not.toBeInstanceOf(PermanentEmailError);
    expect(rejected.map((e) => [e.about, e.message])).toEqual([['sending', 'BadRequestException: Invalid message tag value']]);
  });

  it('counts them as a CloudWatch embedded metric the alarm reads', () => {
    const lines: string[] = [];
    vi.useFakeTimers({ now: new Date('2026-11-29T19:00:00Z') });
    putMetric('Cumbre/Cumbre-dev', 'EmailsRejected', { About: 'sending' }, 1, (l) => lines.push(l));
    vi.useRealTimers();
    expect(lines).toHaveLength(1);
    expect(lines[0].endsWith('\n')).toBe(true);
    expect(JSON.parse(lines[0])).toEqual({
      _aws: {
        Timestamp: Date.parse('2026-11-29T19:00:00Z'),
        CloudWatchMetrics: [{ Namespace: 'Cumbre/Cumbre-dev', Dimensions: [['About']], Metrics: [{ Name: 'EmailsRejected', Unit: 'Count' }] }],
      },
      About: 'sending',
      EmailsRejected: 1,
    });
  });
});
