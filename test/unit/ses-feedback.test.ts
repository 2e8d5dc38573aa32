import { describe, expect, it } from 'vitest';
import { parseSesFeedback } from '#domain/email/feedback.js';
import { messageTags } from '#domain/email/tags.js';

/** An SES event as the configuration set publishes it through SNS, for an email Cumbre tagged. */
const published = (eventType: string, extra: Record<string, unknown>, tags: Record<string, string>) =>
  JSON.stringify({
    Type: 'Notification',
    Message: JSON.stringify({
      eventType,
      mail: { messageId: 'ses-1', destination: ['ana@example.org'], tags: Object.fromEntries(Object.entries(tags).map(([k, v]) => [k, [v]])) },
      ...extra,
    }),
  });

const occurredAt = '2019-05-01T12:00:00.591Z';
const tags = messageTags({ emailId: `confirmation:inv_1:${occurredAt}`, eventId: 'na-mayors-summit-2019', invitationId: 'inv_1', kind: 'confirmation', of: occurredAt });

describe('SES feedback, read back from the tags Cumbre sent the email with', () => {
  it.each([
    ['Delivery', {}, { state: 'delivered', detail: 'confirmation' }],
    ['Bounce', { bounce: { bounceType: 'Permanent', bounceSubType: 'General' } }, { state: 'bounced', detail: 'Permanent: General', recipients: ['ana@example.org'] }],
    ['Bounce', { bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull' } }, { state: 'soft-bounced', detail: 'Transient: MailboxFull' }],
    ['Complaint', { complaint: { complaintFeedbackType: 'abuse' } }, { state: 'complained', detail: 'abuse', recipients: ['ana@example.org'] }],
    ['Reject', { reject: { reason: 'Bad content' } }, { state: 'rejected', detail: 'Bad content' }],
  ] as const)('%s: the invitation, the state and when the change the email told of happened', (type, extra, expected) => {
    expect(parseSesFeedback(published(type, extra, tags))).toEqual({ eventId: 'na-mayors-summit-2019', invitationId: 'inv_1', of: occurredAt, ...expected });
  });

  it('an email sent before emails carried `of` (or with a value that is no time) is read without it', () => {
    const { of: _, ...older } = tags;
    expect(parseSesFeedback(published('Delivery', {}, older))).not.toHaveProperty('of');
    expect(parseSesFeedback(published('Delivery', {}, { ...older, of: '2019-05-01' }))).not.toHaveProperty('of');
  });

  it('an email that is no invitation’s (a capacity alert) changes nothing', () => {
    expect(parseSesFeedback(published('Delivery', {}, { ...tags, invitationId: '-' }))).toBeUndefined();
  });
});
