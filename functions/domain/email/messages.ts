import type { Language } from '../model.js';
import { sentenceEnd } from '../time.js';

/**
 * Every sentence an invitee reads in an email, per language. Texts are plain: the templates escape
 * the whole sentence for HTML after interpolation, so a message can never smuggle markup in and an
 * invitee's name can never break out of it. Interpolated values arrive already formatted
 * (dates in the reader's locale, names in the reader's language).
 *
 * Each language is a full `EmailMessages`: a key missing or misspelt in one language fails typecheck.
 */
export interface EmailMessages {
  salutation: (name: string) => string;
  signOff: string;
  organizers: (event: string) => string;
  footer: (event: string) => string;
  /** Which clock the times are on: invitees read them from home, the venue's clock is the one that counts. */
  timesNote: (city: string, zoneName: string) => string;
  datesLabel: string;
  venueLabel: string;
  /** Shown under an action button, for clients that do not render it. */
  linkFallback: string;
  waitlistPosition: (position: number) => string;
  calendarAttached: string;
  badgeIntro: string;
  badgeAction: string;
  manageAction: string;
  changeAnswerUntil: (deadline: string) => string;
  invitation: {
    subject: (event: string) => string;
    intro: string;
    programHeading: string;
    respondBy: (deadline: string) => string;
    action: string;
    personalLink: string;
  };
  confirmation: {
    subject: (event: string) => string;
    intro: string;
    noneConfirmed: string;
    waitlistedHeading: string;
  };
  waitlisted: {
    subject: (sessions: string) => string;
    intro: (session: string) => string;
    position: (position: number) => string;
    willNotify: string;
  };
  promoted: {
    subject: (sessions: string) => string;
    intro: (session: string) => string;
  };
  declined: {
    subject: (event: string) => string;
    intro: string;
    changeMind: (deadline: string) => string;
  };
}

const es: EmailMessages = {
  salutation: (name) => `Apreciable ${name}:`,
  signOff: 'Atentamente,',
  organizers: (event) => `Comité organizador — ${event}`,
  footer: (event) => `Recibe este mensaje porque tiene una invitación para: ${event}.`,
  timesNote: (city, zoneName) => `Todos los horarios corresponden a la hora local de ${city} (${zoneName}).`,
  datesLabel: 'Fechas',
  venueLabel: 'Sede',
  linkFallback: 'Si el botón no funciona, copie esta dirección en su navegador:',
  waitlistPosition: (position) => `lugar ${position} en la lista de espera`,
  calendarAttached: 'Adjuntamos un archivo de calendario (.ics) con sus sesiones confirmadas.',
  badgeIntro: 'Su gafete de acceso está listo. Le pedimos presentarlo en el registro de la sede.',
  badgeAction: 'Descargar mi gafete',
  manageAction: 'Consultar o modificar mi respuesta',
  changeAnswerUntil: (deadline) => `Puede modificar su respuesta hasta el ${sentenceEnd(deadline)}`,
  invitation: {
    subject: (event) => `Invitación: ${event}`,
    intro: 'Nos complace invitarle a esta cumbre.',
    programHeading: 'Programa',
    respondBy: (deadline) => `Le agradeceremos responder a más tardar el ${sentenceEnd(deadline)}`,
    action: 'Responder a la invitación',
    personalLink: 'Este enlace es personal; le pedimos no reenviar este mensaje.',
  },
  confirmation: {
    subject: (event) => `Asistencia confirmada: ${event}`,
    intro: 'Gracias por su respuesta. Su asistencia está confirmada en las siguientes sesiones:',
    noneConfirmed: 'Por el momento no tiene sesiones confirmadas.',
    waitlistedHeading: 'En lista de espera',
  },
  waitlisted: {
    subject: (sessions) => `Lista de espera: ${sessions}`,
    intro: (session) => `La sesión “${session}” está completa por el momento, por lo que le inscribimos en su lista de espera.`,
    position: (position) => `Su lugar en la lista de espera: ${position}.`,
    willNotify: 'Le escribiremos en cuanto se libere un lugar y su asistencia quede confirmada.',
  },
  promoted: {
    subject: (sessions) => `Lugar confirmado: ${sessions}`,
    intro: (session) => `Buenas noticias: se liberó un lugar en la sesión “${session}” y su asistencia quedó confirmada.`,
  },
  declined: {
    subject: (event) => `Hemos recibido su respuesta: ${event}`,
    intro: 'Gracias por hacernos saber que no podrá acompañarnos. Lamentamos su ausencia.',
    changeMind: (deadline) => `Si sus planes cambian, puede modificar su respuesta con su enlace personal hasta el ${sentenceEnd(deadline)}`,
  },
};

const en: EmailMessages = {
  salutation: (name) => `Dear ${name},`,
  signOff: 'Kind regards,',
  organizers: (event) => `Organizing committee — ${event}`,
  footer: (event) => `You are receiving this message because you were invited to: ${event}.`,
  timesNote: (city, zoneName) => `All times are local time in ${city} (${zoneName}).`,
  datesLabel: 'Dates',
  venueLabel: 'Venue',
  linkFallback: 'If the button does not work, copy this address into your browser:',
  waitlistPosition: (position) => `number ${position} on the waiting list`,
  calendarAttached: 'A calendar file (.ics) with your confirmed sessions is attached.',
  badgeIntro: 'Your access badge is ready. Please show it at registration when you arrive.',
  badgeAction: 'Download my badge',
  manageAction: 'View or change my answer',
  changeAnswerUntil: (deadline) => `You can change your answer until ${sentenceEnd(deadline)}`,
  invitation: {
    subject: (event) => `Invitation: ${event}`,
    intro: 'We are pleased to invite you to this summit.',
    programHeading: 'Program',
    respondBy: (deadline) => `Please respond by ${sentenceEnd(deadline)}`,
    action: 'Respond to the invitation',
    personalLink: 'This link is personal to you; please do not forward this message.',
  },
  confirmation: {
    subject: (event) => `Attendance confirmed: ${event}`,
    intro: 'Thank you for your reply. Your attendance is confirmed for the following sessions:',
    noneConfirmed: 'You have no confirmed sessions at the moment.',
    waitlistedHeading: 'On the waiting list',
  },
  waitlisted: {
    subject: (sessions) => `Waiting list: ${sessions}`,
    intro: (session) => `The session “${session}” is full at the moment, so we have put you on its waiting list.`,
    position: (position) => `Your position on the waiting list: ${position}.`,
    willNotify: 'We will write to you as soon as a seat opens up and your attendance is confirmed.',
  },
  promoted: {
    subject: (sessions) => `Seat confirmed: ${sessions}`,
    intro: (session) => `Good news: a seat opened up in the session “${session}” and your attendance is now confirmed.`,
  },
  declined: {
    subject: (event) => `We have received your reply: ${event}`,
    intro: 'Thank you for letting us know that you will not be able to join us. You will be missed.',
    changeMind: (deadline) => `If your plans change, you can change your answer with your personal link until ${sentenceEnd(deadline)}`,
  },
};

const fr: EmailMessages = {
  salutation: (name) => `Bonjour ${name},`,
  signOff: 'Cordialement,',
  organizers: (event) => `Comité organisateur — ${event}`,
  footer: (event) => `Vous recevez ce message parce que vous avez reçu une invitation pour\u00a0: ${event}.`,
  timesNote: (city, zoneName) => `Toutes les heures indiquées sont à l’heure locale de ${city} (${zoneName}).`,
  datesLabel: 'Dates',
  venueLabel: 'Lieu',
  linkFallback: 'Si le bouton ne fonctionne pas, copiez cette adresse dans votre navigateur\u00a0:',
  waitlistPosition: (position) => `rang ${position} sur la liste d’attente`,
  calendarAttached: 'Vous trouverez en pièce jointe un fichier de calendrier (.ics) avec vos séances confirmées.',
  badgeIntro: 'Votre porte-nom d’accès est prêt. Veuillez le présenter à l’accueil à votre arrivée.',
  badgeAction: 'Télécharger mon porte-nom',
  manageAction: 'Consulter ou modifier ma réponse',
  changeAnswerUntil: (deadline) => `Vous pouvez modifier votre réponse jusqu’au ${sentenceEnd(deadline)}`,
  invitation: {
    subject: (event) => `Invitation\u00a0: ${event}`,
    intro: 'Nous avons le plaisir de vous inviter à ce sommet.',
    programHeading: 'Programme',
    respondBy: (deadline) => `Veuillez répondre au plus tard le ${sentenceEnd(deadline)}`,
    action: 'Répondre à l’invitation',
    personalLink: 'Ce lien vous est personnel; merci de ne pas transférer ce message.',
  },
  confirmation: {
    subject: (event) => `Participation confirmée\u00a0: ${event}`,
    intro: 'Merci de votre réponse. Votre participation est confirmée pour les séances suivantes\u00a0:',
    noneConfirmed: 'Vous n’avez aucune séance confirmée pour le moment.',
    waitlistedHeading: 'En liste d’attente',
  },
  waitlisted: {
    subject: (sessions) => `Liste d’attente\u00a0: ${sessions}`,
    intro: (session) =>
      `La séance «\u00a0${session}\u00a0» est complète pour le moment; votre nom a été inscrit sur sa liste d’attente.`,
    position: (position) => `Votre rang sur la liste d’attente\u00a0: ${position}.`,
    willNotify: 'Nous vous écrirons dès qu’une place se libère et que votre participation est confirmée.',
  },
  promoted: {
    subject: (sessions) => `Place confirmée\u00a0: ${sessions}`,
    intro: (session) =>
      `Bonne nouvelle\u00a0: une place s’est libérée pour la séance «\u00a0${session}\u00a0» et votre participation est maintenant confirmée.`,
  },
  declined: {
    subject: (event) => `Nous avons bien reçu votre réponse\u00a0: ${event}`,
    intro: 'Merci de nous avoir informés que vous ne pourrez pas être des nôtres. Votre présence nous manquera.',
    changeMind: (deadline) =>
      `Si vos plans changent, vous pouvez modifier votre réponse avec votre lien personnel jusqu’au ${sentenceEnd(deadline)}`,
  },
};

export const emailMessages: Readonly<Record<Language, EmailMessages>> = { es, en, fr };
