import type { EmailKey } from './es.js';

/** Every sentence an invitee reads in an email (functions/domain/email/templates.ts), in English (United States). */
export const en: Readonly<Record<EmailKey, string>> = {
  salutation: 'Dear {name},',
  signOff: 'Kind regards,',
  organizers: 'Organizing committee — {event}',
  footer: 'You are receiving this message because you were invited to: {event}.',
  timesNote: 'All times are local time in {city} ({zoneName}).',
  datesLabel: 'Dates',
  venueLabel: 'Venue',
  linkFallback: 'If the button does not work, copy this address into your browser:',
  waitlistPosition: 'number {position} on the waiting list',
  calendarAttached: 'A calendar file (.ics) with your confirmed sessions is attached.',
  badgeIntro: 'Your access badge is ready. Please show it at registration when you arrive.',
  badgeAction: 'Download my badge',
  manageAction: 'View or change my answer',
  changeAnswerUntil: 'You can change your answer until {deadline}.',
  'invitation.subject': 'Invitation: {event}',
  'invitation.intro': 'We are pleased to invite you to this summit.',
  'invitation.programHeading': 'Program',
  'invitation.respondBy': 'Please respond by {deadline}.',
  'invitation.action': 'Respond to the invitation',
  'invitation.personalLink': 'This link is personal to you; please do not forward this message.',
  'confirmation.subject': '{outcome, select, confirmed {Attendance confirmed: {event}} waitlisted {Waiting list: {event}} other {We have received your reply: {event}}}',
  'confirmation.intro': 'Thank you for your reply. This is where you stand for each session:',
  'waitlisted.willNotify': 'We will write to you as soon as a seat opens up and your attendance is confirmed.',
  'promoted.subject': 'Seat confirmed: {sessions}',
  'promoted.intro': 'Good news: a seat opened up in the session “{session}” and your attendance is now confirmed.',
  'declined.subject': 'We have received your reply: {event}',
  'declined.intro': 'Thank you for letting us know that you will not be able to join us. You will be missed.',
  'declined.changeMind': 'If your plans change, you can change your answer with your personal link until {deadline}.',
  'outcome.confirmed': 'Attendance confirmed',
  'outcome.waitlisted': 'On the waiting list',
  'outcome.declined': 'Not attending',
  'outcome.pending': 'No answer yet',
  calendarCancelled:
    'The same file removes {count, plural, one {the session you will no longer attend} other {the sessions you will no longer attend}} from your calendar: {sessions}.',
  overlap: 'Overlaps in time with “{session}”.',
  label: '{label}:',

  // events as data
  'rescheduled.subject': 'New times or venue: {event}',
  'rescheduled.intro': 'The organizing committee changed the times or the venue. Your sessions are now:',
  'sessionCancelled.subject': 'Session cancelled: {session}',
  'sessionCancelled.intro': 'We regret to tell you that the organizing committee cancelled the session “{session}”.',
  'sessionCancelled.released':
    '{previous, select, confirmed {Your seat in it is released.} waitlisted {Your place on its waiting list is released.} other {You need not answer for it any more.}} Your other answers stay as they are.',
  // reminders
  'reminder.subject': 'Reminder: {event}',
  'reminder.intro':
    'We have not yet received your reply to the invitation. {days, plural, one {There is # day} other {There are # days}} left to reply: the deadline is {deadline}.',
  'dayBefore.subject': 'Tomorrow: {event}',
  'dayBefore.intro': 'We look forward to seeing you tomorrow, {date}. These are your confirmed sessions that day:',
  'dayBefore.calendar': 'A calendar file (.ics) with your confirmed sessions that day is attached.',
  'waitlistNote.subject': 'Your place on the waiting list: {event}',
  'waitlistNote.intro': 'For tomorrow, {date}, you are still on the waiting list for {count, plural, one {this session} other {these sessions}}:',
  'waitlistNote.next':
    'If a seat frees up, we will write to you at once with the confirmation. If you can no longer attend, please say so with your personal link so that the seat goes to someone else.',
  'unsubscribe.note':
    'If you no longer wish to receive reminders or messages from the organizers about this event, you can unsubscribe with this link (you will still receive the confirmation of your answers):',
  'alert.subject': '[Cumbre] {event}: “{session}” at {threshold}%',
  'alert.text': 'Session “{session}” reached {threshold}% of capacity: {confirmed, plural, one {# seat is} other {# seats are}} confirmed out of {capacity, number}.',
};
