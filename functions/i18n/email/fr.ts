import type { EmailKey } from './es.js';

/** Every sentence an invitee reads in an email (functions/domain/email/templates.ts), in French (Canada). */
export const fr: Readonly<Record<EmailKey, string>> = {
  salutation: 'Bonjour {name},',
  signOff: 'Cordialement,',
  organizers: 'Comité organisateur — {event}',
  footer: 'Vous recevez ce message parce que vous avez reçu une invitation pour\u202f: {event}.',
  timesNote: 'Toutes les heures indiquées sont à l’heure locale de {city} ({zoneName}).',
  datesLabel: 'Dates',
  venueLabel: 'Lieu',
  linkFallback: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur\u202f:',
  waitlistPosition: 'rang {position} sur la liste d’attente',
  calendarAttached: 'Vous trouverez en pièce jointe un fichier de calendrier (.ics) avec vos séances confirmées.',
  badgeIntro: 'Votre porte-nom d’accès est prêt. Veuillez le présenter à l’accueil à votre arrivée.',
  badgeAction: 'Télécharger mon porte-nom',
  manageAction: 'Consulter ou modifier ma réponse',
  changeAnswerUntil: 'Vous pouvez modifier votre réponse jusqu’au {deadline}.',
  'invitation.subject': 'Invitation\u202f: {event}',
  'invitation.intro': 'Nous avons le plaisir de vous inviter à ce sommet.',
  'invitation.programHeading': 'Programme',
  'invitation.respondBy': 'Veuillez répondre au plus tard le {deadline}.',
  'invitation.action': 'Répondre à l’invitation',
  'invitation.personalLink': 'Ce lien vous est personnel\u202f; merci de ne pas transférer ce message.',
  'confirmation.subject':
    '{outcome, select, confirmed {Participation confirmée\u202f: {event}} waitlisted {Liste d’attente\u202f: {event}} other {Nous avons bien reçu votre réponse\u202f: {event}}}',
  'confirmation.intro': 'Merci de votre réponse. Voici où en est votre participation à chaque séance\u202f:',
  'waitlisted.willNotify': 'Nous vous écrirons dès qu’une place se libère et que votre participation est confirmée.',
  'promoted.subject': 'Place confirmée\u202f: {sessions}',
  'promoted.intro': 'Bonne nouvelle\u202f: une place s’est libérée pour la séance «\u00a0{session}\u00a0» et votre participation est maintenant confirmée.',
  'declined.subject': 'Nous avons bien reçu votre réponse\u202f: {event}',
  'declined.intro': 'Merci de nous avoir informés que vous ne pourrez pas être des nôtres. Votre présence nous manquera.',
  'declined.changeMind': 'Si vos plans changent, vous pouvez modifier votre réponse avec votre lien personnel jusqu’au {deadline}.',
  'outcome.confirmed': 'Participation confirmée',
  'outcome.waitlisted': 'En liste d’attente',
  'outcome.declined': 'Pas de participation',
  'outcome.pending': 'Sans réponse pour le moment',
  calendarCancelled:
    'Le même fichier retire de votre calendrier {count, plural, one {la séance à laquelle vous ne participerez plus} other {les séances auxquelles vous ne participerez plus}}\u202f: {sessions}.',
  overlap: 'A lieu en même temps que «\u00a0{session}\u00a0».',
  label: '{label}\u202f:',

  // events as data
  'rescheduled.subject': 'Nouveaux horaires ou nouveau lieu\u202f: {event}',
  'rescheduled.intro': 'Le comité organisateur a modifié les horaires ou le lieu. Voici vos séances\u202f:',
  'sessionCancelled.subject': 'Séance annulée\u202f: {session}',
  'sessionCancelled.intro': 'Nous avons le regret de vous informer que le comité organisateur a annulé la séance «\u00a0{session}\u00a0».',
  'sessionCancelled.released':
    '{previous, select, confirmed {Votre place à cette séance est libérée.} waitlisted {Votre place sur sa liste d’attente est libérée.} other {Vous n’avez plus à répondre pour cette séance.}} Vos autres réponses restent inchangées.',
  // reminders
  'reminder.subject': 'Rappel\u202f: {event}',
  'reminder.intro':
    'Nous n’avons pas encore reçu votre réponse à l’invitation. Il reste {days, plural, one {# jour} other {# jours}} pour répondre\u202f: la date limite est le {deadline}.',
  'dayBefore.subject': 'Demain\u202f: {event}',
  'dayBefore.intro': 'Nous vous attendons demain, {date}. Voici vos séances confirmées ce jour-là\u202f:',
  'dayBefore.calendar': 'Vous trouverez en pièce jointe un fichier de calendrier (.ics) avec vos séances confirmées ce jour-là.',
  'waitlistNote.subject': 'Votre place sur la liste d’attente\u202f: {event}',
  'waitlistNote.intro': 'Pour demain, {date}, vous êtes toujours sur la liste d’attente {count, plural, one {de cette séance} other {de ces séances}}\u202f:',
  'waitlistNote.next':
    'Si une place se libère, nous vous écrirons aussitôt avec la confirmation. Si vous ne pouvez plus venir, merci de l’indiquer avec votre lien personnel\u202f: la place ira à quelqu’un d’autre.',
  'unsubscribe.note':
    'Si vous ne souhaitez plus recevoir de rappels ni de messages des organisateurs au sujet de cet événement, vous pouvez vous désabonner avec ce lien (vous recevrez toujours la confirmation de vos réponses)\u202f:',
  'alert.subject': '[Cumbre] {event}\u202f: «\u202f{session}\u202f» à {threshold}\u00a0%',
  'alert.text':
    'La séance «\u202f{session}\u202f» a atteint {threshold}\u00a0% de sa capacité\u202f: {confirmed, plural, one {# place confirmée} other {# places confirmées}} sur {capacity, number}.',
};
