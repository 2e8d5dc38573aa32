/**
 * Every sentence an invitee reads in an email (functions/domain/email/templates.ts), in Spanish (Mexico).
 * ICU message syntax (FormatJS `intl-messageformat`): `{name}` arguments, `plural` and `select`.
 * Texts are plain: pages and emails escape them after formatting. This catalogue is the source of
 * the keys: en and fr are typed against it, so a key missing in either fails typecheck.
 */
export const es = {
  salutation: 'Apreciable {name}:',
  signOff: 'Atentamente,',
  organizers: 'Comité organizador — {event}',
  footer: 'Recibe este mensaje porque tiene una invitación para: {event}.',
  timesNote: 'Todos los horarios corresponden a la hora local de {city} ({zoneName}).',
  datesLabel: 'Fechas',
  venueLabel: 'Sede',
  linkFallback: 'Si el botón no funciona, copie esta dirección en su navegador:',
  waitlistPosition: 'lugar {position} en la lista de espera',
  calendarAttached: 'Adjuntamos un archivo de calendario (.ics) con sus sesiones confirmadas.',
  badgeIntro: 'Su gafete de acceso está listo. Le pedimos presentarlo en el registro de la sede.',
  badgeAction: 'Descargar mi gafete',
  manageAction: 'Consultar o modificar mi respuesta',
  changeAnswerUntil: 'Puede modificar su respuesta hasta el {deadline}.',
  'invitation.subject': 'Invitación: {event}',
  'invitation.intro': 'Nos complace invitarle a esta cumbre.',
  'invitation.programHeading': 'Programa',
  'invitation.respondBy': 'Le agradeceremos responder a más tardar el {deadline}.',
  'invitation.action': 'Responder a la invitación',
  'invitation.personalLink': 'Este enlace es personal; le pedimos no reenviar este mensaje.',
  'confirmation.subject': 'Asistencia confirmada: {event}',
  'confirmation.intro': 'Gracias por su respuesta. Su asistencia está confirmada en las siguientes sesiones:',
  'confirmation.noneConfirmed': 'Por el momento no tiene sesiones confirmadas.',
  'confirmation.waitlistedHeading': 'En lista de espera',
  'waitlisted.subject': 'Lista de espera: {sessions}',
  'waitlisted.intro': 'La sesión “{session}” está completa por el momento, por lo que le inscribimos en su lista de espera.',
  'waitlisted.position': 'Su lugar en la lista de espera: {position}.',
  'waitlisted.willNotify': 'Le escribiremos en cuanto se libere un lugar y su asistencia quede confirmada.',
  'promoted.subject': 'Lugar confirmado: {sessions}',
  'promoted.intro': 'Buenas noticias: se liberó un lugar en la sesión “{session}” y su asistencia quedó confirmada.',
  'declined.subject': 'Hemos recibido su respuesta: {event}',
  'declined.intro': 'Gracias por hacernos saber que no podrá acompañarnos. Lamentamos su ausencia.',
  'declined.changeMind': 'Si sus planes cambian, puede modificar su respuesta con su enlace personal hasta el {deadline}.',
};

export type EmailKey = keyof typeof es;
