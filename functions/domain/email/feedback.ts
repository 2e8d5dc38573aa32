import * as z from '../zod.js';
import { ofTag } from './tags.js';

/** SES event publishing, as delivered by SNS (raw message delivery off) or directly. */
const tags = z.optional(z.record(z.string(), z.array(z.string())));
const sesEventSchema = z.object({
  eventType: z.optional(z.string()),
  notificationType: z.optional(z.string()),
  mail: z.object({ messageId: z.optional(z.string()), tags, destination: z.optional(z.array(z.string())) }),
  bounce: z.optional(
    z.object({
      bounceType: z.string(),
      bounceSubType: z.optional(z.string()),
      bouncedRecipients: z.optional(z.array(z.object({ diagnosticCode: z.optional(z.string()), emailAddress: z.optional(z.string()) }))),
    }),
  ),
  complaint: z.optional(z.object({ complaintFeedbackType: z.optional(z.string()), complainedRecipients: z.optional(z.array(z.object({ emailAddress: z.optional(z.string()) }))) })),
  reject: z.optional(z.object({ reason: z.optional(z.string()) })),
});

export interface DeliveryFeedback {
  eventId: string;
  invitationId: string;
  state: 'bounced' | 'soft-bounced' | 'complained' | 'delivered' | 'rejected';
  detail?: string;
  // reminders
  /** The addresses a permanent bounce or a complaint names: never written to again (suppression). */
  recipients?: string[];
  /** The group message the email belonged to (its `messageId` tag), for the message's counts. */
  messageId?: string;
  /** When what the email tells of happened (its `of` tag): orders it against the invitation's other emails. */
  of?: string;
}

/** Reads a bounce, complaint, delivery or reject event; undefined for events that change nothing. */
export const parseSesFeedback = (body: string): DeliveryFeedback | undefined => {
  const outer = JSON.parse(body) as { Type?: string; Message?: string };
  const raw = outer.Type === 'Notification' && typeof outer.Message === 'string' ? (JSON.parse(outer.Message) as unknown) : outer;
  const event = sesEventSchema.parse(raw);
  const type = event.eventType ?? event.notificationType;
  const eventId = event.mail.tags?.eventId?.[0];
  const invitationId = event.mail.tags?.invitationId?.[0];
  if (!eventId || !invitationId || invitationId === '-') return undefined;
  const messageId = event.mail.tags?.messageId?.[0];
  const named = (list: Array<{ emailAddress?: string }> | undefined) => {
    const addresses = (list ?? []).map((r) => r.emailAddress).filter((a): a is string => Boolean(a));
    return addresses.length > 0 ? addresses : (event.mail.destination ?? []);
  };
  const of = ofTag(event.mail.tags?.of?.[0]);
  const extra = { ...(messageId ? { messageId } : {}), ...(of ? { of } : {}) };
  switch (type) {
    case 'Bounce': {
      const permanent = event.bounce?.bounceType === 'Permanent';
      return {
        ...extra,
        ...(permanent ? { recipients: named(event.bounce?.bouncedRecipients) } : {}),
        eventId,
        invitationId,
        state: permanent ? 'bounced' : 'soft-bounced',
        detail: [event.bounce?.bounceType, event.bounce?.bounceSubType, event.bounce?.bouncedRecipients?.[0]?.diagnosticCode].filter(Boolean).join(': '),
      };
    }
    case 'Complaint':
      return { ...extra, recipients: named(event.complaint?.complainedRecipients), eventId, invitationId, state: 'complained', detail: event.complaint?.complaintFeedbackType };
    case 'Delivery':
      // Delivered, like sent, says which email: its kind.
      return { ...extra, eventId, invitationId, state: 'delivered', ...(event.mail.tags?.kind?.[0] ? { detail: event.mail.tags.kind[0] } : {}) };
    case 'Reject':
      return { ...extra, eventId, invitationId, state: 'rejected', detail: event.reject?.reason };
    default:
      return undefined;
  }
};
