/**
 * Every sentence an invitee reads in an email (functions/domain/email/templates.ts), and the organizers' capacity
 * alert (alerts.ts), in Spanish (Mexico).
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
  'confirmation.subject': '{outcome, select, confirmed {Asistencia confirmada: {event}} waitlisted {Lista de espera: {event}} other {Hemos recibido su respuesta: {event}}}',
  'confirmation.intro': 'Gracias por su respuesta. Así queda su participación en cada sesión:',
  'waitlisted.willNotify': 'Le escribiremos en cuanto se libere un lugar y su asistencia quede confirmada.',
  'promoted.subject': 'Lugar confirmado: {sessions}',
  'promoted.intro': 'Buenas noticias: se liberó un lugar en la sesión “{session}” y su asistencia quedó confirmada.',
  'declined.subject': 'Hemos recibido su respuesta: {event}',
  'declined.intro': 'Gracias por hacernos saber que no podrá acompañarnos. Lamentamos su ausencia.',
  'declined.changeMind': 'Si sus planes cambian, puede modificar su respuesta con su enlace personal hasta el {deadline}.',
  'outcome.confirmed': 'Asistencia confirmada',
  'outcome.waitlisted': 'En lista de espera',
  'outcome.declined': 'No asistirá',
  'outcome.pending': 'Sin respuesta todavía',
  calendarCancelled: 'El mismo archivo retira de su calendario {count, plural, one {la sesión a la que ya no asistirá} other {las sesiones a las que ya no asistirá}}: {sessions}.',
  overlap: 'Coincide en horario con «{session}».',
  label: '{label}:',

  // events as data
  'rescheduled.subject': 'Cambio de horario o de sede: {event}',
  'rescheduled.intro': 'El comité organizador cambió el horario o la sede. Así quedan sus sesiones:',
  'sessionCancelled.subject': 'Sesión cancelada: {session}',
  'sessionCancelled.intro': 'Lamentamos informarle que el comité organizador canceló la sesión «{session}».',
  'sessionCancelled.released':
    '{previous, select, confirmed {Su lugar en esa sesión queda liberado.} waitlisted {Su lugar en la lista de espera de esa sesión queda liberado.} other {Ya no es necesario que responda por esa sesión.}} Sus demás respuestas no cambian.',
  // reminders
  'reminder.subject': 'Recordatorio: {event}',
  'reminder.intro': 'Aún no hemos recibido su respuesta a la invitación. {days, plural, one {Queda # día} other {Quedan # días}} para responder: el plazo vence el {deadline}.',
  'dayBefore.subject': 'Mañana: {event}',
  'dayBefore.intro': 'Le esperamos mañana, {date}. Estas son sus sesiones confirmadas de ese día:',
  'dayBefore.calendar': 'Adjuntamos un archivo de calendario (.ics) con sus sesiones confirmadas de ese día.',
  'waitlistNote.subject': 'Su lugar en la lista de espera: {event}',
  'waitlistNote.intro': 'Para mañana, {date}, sigue en lista de espera para {count, plural, one {esta sesión} other {estas sesiones}}:',
  'waitlistNote.next':
    'Si se libera un lugar, le escribiremos de inmediato con la confirmación. Si ya no puede asistir, le agradeceremos indicarlo con su enlace personal: así el lugar pasa a otra persona.',
  'unsubscribe.note':
    'Si no desea recibir más recordatorios ni mensajes de los organizadores sobre este evento, puede darse de baja con este enlace (seguirá recibiendo la confirmación de sus respuestas):',
  // The organizers' capacity alert (functions/domain/email/alerts.ts), in the organizers' language.
  'alert.subject': '[Cumbre] {event}: «{session}» al {threshold}\u00a0%',
  'alert.text':
    'La sesión «{session}» alcanzó el {threshold}\u00a0% de su capacidad: {confirmed, plural, one {# lugar confirmado} other {# lugares confirmados}} de {capacity, number}.',
};

export type EmailKey = keyof typeof es;
