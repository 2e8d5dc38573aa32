import type { Category, Language, ResponseStatus, Topic } from '#domain/model.js';
import type { ChangedField, DeliveryState, ImportField } from '#domain/organizer-api.js';
import type { CumbreEventType } from '#domain/outbox.js';
import { sentenceEnd } from '#domain/time.js';

/**
 * Every sentence a page shows, per language. Like the email messages, texts are plain: the page
 * templates escape them after interpolation. Each language is a full `PageMessages`, so a key
 * missing in one language fails typecheck instead of showing an English fallback to a French mayor.
 *
 * Field errors are written per field, not translated from the domain's English messages: the
 * domain says what was wrong for the log and the API, the page says what to do in the reader's words.
 */
export interface PageMessages {
  /** The language's own name, for the switcher. */
  languageName: string;
  languageNav: string;
  skipToContent: string;
  footer: string;
  status: Record<ResponseStatus, string>;
  waitlistPosition: (position: number) => string;
  rsvp: {
    title: (event: string) => string;
    greeting: (name: string) => string;
    intro: string;
    venue: string;
    timesNote: (city: string, zoneName: string) => string;
    respondBy: (deadline: string) => string;
    currentStatus: string;
    attending: string;
    yes: string;
    no: string;
    detailsHeading: string;
    guests: string;
    guestsHint: (max: number) => string;
    dietary: string;
    dietaryHint: string;
    accessibility: string;
    accessibilityHint: string;
    badgeName: string;
    badgeNameHint: string;
    topics: string;
    topicsHint: string;
    topicNames: Record<Topic, string>;
    accreditation: string;
    accreditationNote: (session: string) => string;
    accreditationOnFile: string;
    nationality: string;
    nationalityChoose: string;
    idDocumentNumber: string;
    idDocumentNumberHint: string;
    submit: string;
    errorSummary: string;
    closed: (deadline: string) => string;
    yourAnswer: string;
    none: string;
  };
  result: {
    title: (event: string) => string;
    heading: string;
    confirmed: string;
    waitlisted: string;
    declined: string;
    pending: string;
    emailOnItsWay: string;
    nothingChanged: string;
    badge: string;
    badgeHint: string;
    changeAnswer: string;
    changeUntil: (deadline: string) => string;
  };
  notFound: { title: string; heading: string; body: string };
  serverError: { title: string; heading: string; body: string };
  fieldErrors: {
    responses: string;
    session: string;
    guests: (max: number) => string;
    notEnoughSeats: (sessions: string) => string;
    dietary: string;
    accessibility: string;
    badgeName: string;
    topics: string;
    accreditation: (session: string) => string;
    nationality: string;
    idDocumentNumber: string;
  };
  /** Domain error codes (`DomainError.code`) and the page's own refusals, as the reader sees them. */
  errors: Record<PageErrorCode, string>;
  admin: AdminMessages;
}

export type PageErrorCode =
  | 'rsvp_closed'
  | 'not_enough_seats'
  | 'concurrent_update'
  | 'seat_conflict'
  | 'validation_failed'
  | 'payload_too_large'
  | 'csrf_failed'
  | 'internal_error';

/**
 * Dashboard keys named after the domain's own lists (categories, statuses, topics, delivery
 * states, history changes, import columns), so a new value without a text in every language
 * fails typecheck instead of showing its id.
 */
type DashboardListKey =
  | `category.${Category}`
  | `short.${ResponseStatus}`
  | `topic.${Topic}`
  | `delivery.${DeliveryState | 'none' | 'unknown'}`
  | `history.${CumbreEventType}`
  | `field.${ChangedField | 'other'}`
  | `importError.${ImportField | 'csv' | 'other'}`
  | `accreditation.${'onFile' | 'none'}`;

/**
 * The dashboard's texts in ICU message syntax (FormatJS `intl-messageformat`: `{name}`, `plural`,
 * `select`), formatted in the browser. They travel there as a JSON data island, which CSP does
 * not treat as script.
 */
export interface AdminMessages extends Record<DashboardListKey, string> {
  breakdown: string;
  notInvited: string;
  deliveryDetail: string;
  colGuests: string;
  colLanguage: string;
  colDietary: string;
  colAccessibility: string;
  colBadgeName: string;
  colTopics: string;
  colAccreditation: string;
  colTitle: string;
  guestsOf: string;
  none: string;
  pageRange: string;
  previousPage: string;
  nextPage: string;
  pagerLabel: string;
  title: string;
  eventLabel: string;
  signInHeading: string;
  username: string;
  password: string;
  signIn: string;
  signingIn: string;
  signOut: string;
  signedInAs: string;
  invalidCredentials: string;
  sessionExpired: string;
  mfaCode: string;
  newPassword: string;
  newPasswordHint: string;
  continue: string;
  capacityHeading: string;
  capacityRefresh: string;
  updatedAt: string;
  confirmed: string;
  waitlisted: string;
  free: string;
  declined: string;
  pending: string;
  seatsSummary: string;
  byCategory: string;
  byCountry: string;
  invitationsHeading: string;
  search: string;
  statusFilter: string;
  categoryFilter: string;
  countryFilter: string;
  sort: string;
  all: string;
  apply: string;
  total: string;
  loadMore: string;
  colName: string;
  colEmail: string;
  colUpdated: string;
  sessionLabel: string;
  colOrganization: string;
  colCountry: string;
  colCategory: string;
  colSessions: string;
  colDelivery: string;
  colActions: string;
  open: string;
  resend: string;
  resent: string;
  badge: string;
  historyHeading: string;
  close: string;
  noHistory: string;
  importHeading: string;
  importFile: string;
  importHint: string;
  check: string;
  importNow: string;
  previewOk: string;
  previewErrors: string;
  colRow: string;
  colField: string;
  colMessage: string;
  imported: string;
  exportHeading: string;
  exportAttendees: string;
  exportAccreditation: string;
  printBadges: string;
  loading: string;
  failed: string;
  notAvailable: string;
  /** Shown without JavaScript: the dashboard draws everything with its script. */
  needsScript: string;
}

/** What the dashboard's script reads from the shell's data island: its texts and the status names, one flat catalogue. */
export type DashboardMessages = AdminMessages & Record<`status.${ResponseStatus}`, string>;
export type DashboardKey = keyof DashboardMessages;

export const dashboardCatalogue = (language: Language): DashboardMessages => {
  const { admin, status } = pageMessages[language];
  return { ...admin, 'status.pending': status.pending, 'status.confirmed': status.confirmed, 'status.waitlisted': status.waitlisted, 'status.declined': status.declined };
};

const es: PageMessages = {
  languageName: 'Español',
  languageNav: 'Idioma',
  skipToContent: 'Ir al contenido',
  footer: 'Este enlace es personal; le pedimos no compartirlo.',
  status: { pending: 'Sin respuesta', confirmed: 'Confirmada', waitlisted: 'En lista de espera', declined: 'No asistirá' },
  waitlistPosition: (position) => `lugar ${position} en la lista de espera`,
  rsvp: {
    title: (event) => `Responder a la invitación — ${event}`,
    greeting: (name) => `Apreciable ${name}:`,
    intro: 'Le pedimos indicarnos a qué sesiones asistirá. Puede cambiar su respuesta más adelante con este mismo enlace.',
    venue: 'Sede',
    timesNote: (city, zoneName) => `Todos los horarios corresponden a la hora local de ${city} (${zoneName}).`,
    respondBy: (deadline) => `Le agradeceremos responder a más tardar el ${sentenceEnd(deadline)}`,
    currentStatus: 'Estado actual',
    attending: '¿Asistirá?',
    yes: 'Sí, asistiré',
    no: 'No asistiré',
    detailsHeading: 'Sus datos',
    guests: 'Acompañantes',
    guestsHint: (max) => `Su invitación admite hasta ${max} acompañante${max === 1 ? '' : 's'}.`,
    dietary: 'Necesidades alimentarias',
    dietaryHint: 'Por ejemplo: vegetariano, sin gluten, alergias.',
    accessibility: 'Necesidades de accesibilidad',
    accessibilityHint: 'Por ejemplo: acceso en silla de ruedas, intérprete de lengua de señas.',
    badgeName: 'Nombre en el gafete',
    badgeNameHint: 'Si lo deja vacío, usaremos el nombre de su invitación.',
    topics: 'Temas de interés',
    topicsHint: 'Nos ayudan a preparar las sesiones de trabajo.',
    topicNames: {
      'border-cooperation': 'Cooperación fronteriza',
      mobility: 'Movilidad',
      tourism: 'Turismo',
      'urban-sustainability': 'Sustentabilidad urbana',
      'digital-governance': 'Gobierno digital',
      'citizen-security': 'Seguridad ciudadana',
      trade: 'Comercio',
    },
    accreditation: 'Acreditación de seguridad',
    accreditationNote: (session) => `Solo se requiere si asistirá a la sesión «${session}». Estos datos se comparten únicamente con el equipo de acreditación.`,
    accreditationOnFile: 'Ya contamos con sus datos de acreditación; llene estos campos solo si desea corregirlos.',
    nationality: 'Nacionalidad',
    nationalityChoose: 'Elija un país',
    idDocumentNumber: 'Número de pasaporte o documento de identidad',
    idDocumentNumberHint: 'Tal como aparece en el documento que presentará en el acceso.',
    submit: 'Enviar mi respuesta',
    errorSummary: 'Revise lo siguiente',
    closed: (deadline) => `El plazo para responder terminó el ${sentenceEnd(deadline)} Su respuesta ya no puede modificarse; si necesita un cambio, escriba al comité organizador.`,
    yourAnswer: 'Su respuesta',
    none: 'Ninguno',
  },
  result: {
    title: (event) => `Respuesta recibida — ${event}`,
    heading: 'Gracias, hemos recibido su respuesta',
    confirmed: 'Asistencia confirmada',
    waitlisted: 'En lista de espera',
    declined: 'No asistirá',
    pending: 'Sin respuesta todavía',
    emailOnItsWay: 'Le enviamos un correo electrónico con este resumen.',
    nothingChanged: 'Su respuesta no cambió respecto de la anterior, por lo que no le enviaremos un nuevo correo.',
    badge: 'Descargar mi gafete',
    badgeHint: 'Preséntelo en el registro de la sede.',
    changeAnswer: 'Modificar mi respuesta',
    changeUntil: (deadline) => `Puede modificar su respuesta hasta el ${sentenceEnd(deadline)}`,
  },
  notFound: {
    title: 'Invitación no encontrada',
    heading: 'No encontramos esta invitación',
    body: 'Verifique que el enlace esté completo: a veces los programas de correo lo cortan en dos líneas. Si el problema continúa, escriba al comité organizador.',
  },
  serverError: {
    title: 'Error',
    heading: 'Algo salió mal de nuestro lado',
    body: 'Su respuesta no se guardó. Le pedimos intentarlo de nuevo en unos minutos.',
  },
  fieldErrors: {
    responses: 'Indique si asistirá al menos a una sesión.',
    session: 'Elija «Sí» o «No» para esta sesión.',
    guests: (max) => `Elija entre 0 y ${max} acompañantes.`,
    notEnoughSeats: (sessions) => `Ya no hay lugares para más acompañantes en: ${sessions}. Elija menos acompañantes.`,
    dietary: 'Use hasta 500 caracteres, sin < ni >.',
    accessibility: 'Use hasta 500 caracteres, sin < ni >.',
    badgeName: 'Use hasta 60 caracteres, sin < ni >.',
    topics: 'Elija temas de la lista.',
    accreditation: (session) => `La nacionalidad y el número de documento son obligatorios para la sesión «${session}».`,
    nationality: 'Elija su nacionalidad de la lista.',
    idDocumentNumber: 'Escriba de 4 a 40 letras, números, espacios o guiones.',
  },
  errors: {
    rsvp_closed: 'El plazo para responder ya terminó; su respuesta no se modificó.',
    not_enough_seats: 'Ya no hay lugares suficientes para sus acompañantes.',
    concurrent_update: 'Su invitación cambió mientras enviaba la respuesta. Revise y envíela de nuevo.',
    seat_conflict: 'Los lugares cambiaron mientras enviaba la respuesta. Revise y envíela de nuevo.',
    validation_failed: 'Algunos datos no son válidos.',
    payload_too_large: 'El formulario es demasiado grande. Acorte los textos e inténtelo de nuevo.',
    csrf_failed: 'Por seguridad, la página caducó. Revise sus datos y envíe el formulario de nuevo.',
    internal_error: 'Algo salió mal de nuestro lado. Inténtelo de nuevo en unos minutos.',
  },
  admin: {
    title: 'Panel de organizadores',
    eventLabel: 'Evento',
    signInHeading: 'Iniciar sesión',
    username: 'Usuario o correo electrónico',
    password: 'Contraseña',
    signIn: 'Entrar',
    signingIn: 'Entrando…',
    signOut: 'Cerrar sesión',
    signedInAs: 'Sesión iniciada como {name}',
    invalidCredentials: 'Usuario o contraseña incorrectos.',
    sessionExpired: 'Su sesión expiró; inicie sesión de nuevo.',
    mfaCode: 'Código de su aplicación de autenticación',
    newPassword: 'Nueva contraseña',
    newPasswordHint: 'Al menos 12 caracteres, con mayúsculas, minúsculas, números y símbolos.',
    continue: 'Continuar',
    capacityHeading: 'Aforo',
    capacityRefresh: 'Se actualiza cada 10 segundos.',
    updatedAt: 'Actualizado a las {time}',
    confirmed: 'Confirmados',
    waitlisted: 'En espera',
    free: 'Libres',
    declined: 'No asistirán',
    pending: 'Sin respuesta',
    seatsSummary: '{confirmed, plural, one {# confirmado} other {# confirmados}} · {waitlisted} en espera · {free, plural, one {# libre} other {# libres}} de {capacity}',
    byCategory: 'Por categoría',
    byCountry: 'Por país',
    invitationsHeading: 'Invitaciones',
    search: 'Buscar (nombre, correo, organización)',
    statusFilter: 'Estado',
    categoryFilter: 'Categoría',
    countryFilter: 'País (código ISO)',
    sort: 'Ordenar por',
    all: 'Todos',
    apply: 'Aplicar',
    total: '{count, plural, =0 {Ninguna invitación} one {# invitación} other {# invitaciones}}',
    loadMore: 'Cargar más',
    colName: 'Nombre',
    colEmail: 'Correo electrónico',
    colUpdated: 'Última modificación',
    sessionLabel: 'Sesión',
    colOrganization: 'Organización',
    colCountry: 'País',
    colCategory: 'Categoría',
    colSessions: 'Sesiones',
    colDelivery: 'Envío del correo',
    colActions: 'Acciones',
    open: 'Ver',
    resend: 'Reenviar invitación',
    resent: 'Invitación reenviada.',
    badge: 'Gafete',
    historyHeading: 'Historial',
    close: 'Cerrar',
    noHistory: 'Sin historial.',
    importHeading: 'Importar invitaciones',
    importFile: 'Archivo CSV',
    importHint: 'Columnas: email, name, title, organization, country, category, language, sessions, guests. Primero se revisa el archivo; nada se guarda hasta que confirme.',
    check: 'Revisar archivo',
    importNow: 'Importar',
    previewOk: 'Archivo válido: {created, plural, one {# nueva} other {# nuevas}}, {updated, plural, one {# actualizada} other {# actualizadas}}, {unchanged} sin cambios. Aún no se ha guardado nada.',
    previewErrors: 'El archivo tiene errores; no se guardó nada. Corríjalos y vuelva a revisarlo.',
    colRow: 'Fila',
    colField: 'Campo',
    colMessage: 'Problema',
    imported: 'Importación lista: {created, plural, one {# nueva} other {# nuevas}}, {updated, plural, one {# actualizada} other {# actualizadas}}, {unchanged} sin cambios.',
    exportHeading: 'Exportar',
    exportAttendees: 'Asistentes (CSV)',
    exportAccreditation: 'Acreditación (CSV)',
    printBadges: 'Hoja de gafetes para imprimir (PDF)',
    loading: 'Cargando…',
    failed: 'No se pudo completar: {message}',
    notAvailable: 'Aún no disponible.',
    needsScript: 'El panel necesita JavaScript. Actívelo en su navegador para iniciar sesión.',
    'breakdown': '{confirmed, plural, one {# confirmado} other {# confirmados}} · {waitlisted} en espera · {declined, plural, one {# no asistirá} other {# no asistirán}} · {pending} sin respuesta',
    'category.mayor-mx': 'Alcaldía (México)',
    'category.mayor-us': 'Alcaldía (Estados Unidos)',
    'category.mayor-ca': 'Alcaldía (Canadá)',
    'category.secretary-of-state': 'Secretaría de Estado',
    'category.local-official': 'Gobierno local',
    'category.academic': 'Academia',
    'category.private-sector': 'Sector privado',
    'short.pending': 'Sin respuesta',
    'short.confirmed': 'Sí',
    'short.waitlisted': 'En espera',
    'short.declined': 'No',
    'notInvited': 'Sin invitación',
    'delivery.none': 'Aún no enviado',
    'delivery.sent': '{kind, select, invitation {Invitación enviada} confirmation {Confirmación enviada} waitlisted {Aviso de lista de espera enviado} promoted {Aviso de lugar enviado} declined {Acuse de ausencia enviado} other {Correo enviado}}',
    'delivery.delivered': 'Entregado',
    'delivery.bounced': 'Rebotado: dirección rechazada',
    'delivery.soft-bounced': 'No entregado por ahora',
    'delivery.complained': 'Marcado como spam',
    'delivery.rejected': 'No enviado: rechazado',
    'delivery.unknown': 'Estado desconocido',
    'deliveryDetail': 'Detalle del servicio de correo: {detail}',
    'history.invitation.created': '{reason, select, resend {Invitación reenviada} other {Invitación creada}}',
    'history.invitation.updated': 'Cambios: {fields}',
    'history.rsvp.confirmed': '{promoted, select, true {Pasó de la lista de espera} other {Confirmó}}: {session} ({seats, plural, one {# lugar} other {# lugares}})',
    'history.rsvp.waitlisted': 'En lista de espera: {session} ({seats, plural, one {# lugar} other {# lugares}})',
    'history.rsvp.declined': 'No asistirá: {session}{previous, select, confirmed { (estaba confirmada)} waitlisted { (estaba en lista de espera)} other {}}',
    'history.seat.freed': '{seats, plural, one {# lugar liberado} other {# lugares liberados}}: {session}',
    'field.name': 'nombre',
    'field.title': 'cargo',
    'field.organization': 'organización',
    'field.country': 'país',
    'field.category': 'categoría',
    'field.language': 'idioma',
    'field.sessions': 'sesiones',
    'field.guestsAllowed': 'acompañantes permitidos',
    'field.rsvp-details': 'detalles de la respuesta (acompañantes, necesidades, nombre en el gafete, temas)',
    'field.other': 'otros datos',
    'importError.email': 'Debe ser un correo electrónico válido y aparecer una sola vez en el archivo.',
    'importError.name': 'Obligatorio; texto simple de hasta 120 caracteres.',
    'importError.title': 'Texto simple de hasta 60 caracteres.',
    'importError.organization': 'Texto simple de hasta 160 caracteres.',
    'importError.country': 'Debe ser un código de país ISO 3166-1 de dos letras, como MX, US o CA.',
    'importError.category': 'Debe ser uno de estos códigos: {codes}.',
    'importError.language': 'Debe ser es, en o fr.',
    'importError.sessions': 'Códigos de sesión de este evento separados por punto y coma ({codes}); no se puede quitar una sesión en la que la persona tiene lugar o está en lista de espera.',
    'importError.guests': 'Un número entero de 0 a 2, no menor que los acompañantes que la persona ya lleva.',
    'importError.csv': 'El archivo debe ser CSV, con la fila de encabezado {columns} y al menos una invitación.',
    'importError.other': 'Este valor no es válido.',
    'colGuests': 'Acompañantes',
    'colLanguage': 'Idioma',
    'colDietary': 'Alimentación',
    'colAccessibility': 'Accesibilidad',
    'colBadgeName': 'Nombre en el gafete',
    'colTopics': 'Temas de interés',
    'colAccreditation': 'Acreditación',
    'colTitle': 'Cargo',
    'accreditation.onFile': 'Recibida',
    'accreditation.none': 'No recibida',
    'guestsOf': '{guests, plural, =0 {Sin acompañantes} one {# acompañante} other {# acompañantes}} (máximo {allowed})',
    'none': '—',
    'topic.border-cooperation': 'Cooperación fronteriza',
    'topic.mobility': 'Movilidad',
    'topic.tourism': 'Turismo',
    'topic.urban-sustainability': 'Sostenibilidad urbana',
    'topic.digital-governance': 'Gobierno digital',
    'topic.citizen-security': 'Seguridad ciudadana',
    'topic.trade': 'Comercio',
    'pageRange': '{from}–{to} de {total}',
    'previousPage': 'Anterior',
    'nextPage': 'Siguiente',
    'pagerLabel': 'Páginas de invitaciones',
  },
};

const en: PageMessages = {
  languageName: 'English',
  languageNav: 'Language',
  skipToContent: 'Skip to content',
  footer: 'This link is personal to you; please do not share it.',
  status: { pending: 'No answer yet', confirmed: 'Confirmed', waitlisted: 'On the waiting list', declined: 'Not attending' },
  waitlistPosition: (position) => `number ${position} on the waiting list`,
  rsvp: {
    title: (event) => `Respond to the invitation — ${event}`,
    greeting: (name) => `Dear ${name},`,
    intro: 'Please let us know which sessions you will attend. You can change your answer later with this same link.',
    venue: 'Venue',
    timesNote: (city, zoneName) => `All times are local time in ${city} (${zoneName}).`,
    respondBy: (deadline) => `Please respond by ${sentenceEnd(deadline)}`,
    currentStatus: 'Current status',
    attending: 'Will you attend?',
    yes: 'Yes, I will attend',
    no: 'No, I will not attend',
    detailsHeading: 'Your details',
    guests: 'Guests',
    guestsHint: (max) => `Your invitation admits up to ${max} guest${max === 1 ? '' : 's'}.`,
    dietary: 'Dietary needs',
    dietaryHint: 'For example: vegetarian, gluten-free, allergies.',
    accessibility: 'Accessibility needs',
    accessibilityHint: 'For example: wheelchair access, sign language interpreter.',
    badgeName: 'Name on your badge',
    badgeNameHint: 'Leave empty to use the name on your invitation.',
    topics: 'Topics of interest',
    topicsHint: 'They help us prepare the working sessions.',
    topicNames: {
      'border-cooperation': 'Border cooperation',
      mobility: 'Mobility',
      tourism: 'Tourism',
      'urban-sustainability': 'Urban sustainability',
      'digital-governance': 'Digital governance',
      'citizen-security': 'Citizen security',
      trade: 'Trade',
    },
    accreditation: 'Security accreditation',
    accreditationNote: (session) => `Required only if you attend “${session}”. These details are shared with the accreditation team only.`,
    accreditationOnFile: 'We already have your accreditation details; fill these in only to correct them.',
    nationality: 'Nationality',
    nationalityChoose: 'Choose a country',
    idDocumentNumber: 'Passport or ID document number',
    idDocumentNumberHint: 'As printed on the document you will show at the entrance.',
    submit: 'Send my answer',
    errorSummary: 'Please check the following',
    closed: (deadline) => `Answers closed on ${sentenceEnd(deadline)} Your answer can no longer be changed; if you need a change, please write to the organizing committee.`,
    yourAnswer: 'Your answer',
    none: 'None',
  },
  result: {
    title: (event) => `Answer received — ${event}`,
    heading: 'Thank you, we have received your answer',
    confirmed: 'Attendance confirmed',
    waitlisted: 'On the waiting list',
    declined: 'Not attending',
    pending: 'No answer yet',
    emailOnItsWay: 'An email with this summary is on its way to you.',
    nothingChanged: 'Your answer is the same as before, so we will not send another email.',
    badge: 'Download my badge',
    badgeHint: 'Please show it at registration when you arrive.',
    changeAnswer: 'Change my answer',
    changeUntil: (deadline) => `You can change your answer until ${sentenceEnd(deadline)}`,
  },
  notFound: {
    title: 'Invitation not found',
    heading: 'We could not find this invitation',
    body: 'Please check that the link is complete: email programs sometimes break it over two lines. If the problem persists, write to the organizing committee.',
  },
  serverError: {
    title: 'Error',
    heading: 'Something went wrong on our side',
    body: 'Your answer was not saved. Please try again in a few minutes.',
  },
  fieldErrors: {
    responses: 'Please tell us whether you will attend at least one session.',
    session: 'Choose “Yes” or “No” for this session.',
    guests: (max) => `Choose between 0 and ${max} guests.`,
    notEnoughSeats: (sessions) => `There are no seats left for more guests in: ${sessions}. Please choose fewer guests.`,
    dietary: 'Use up to 500 characters, without < or >.',
    accessibility: 'Use up to 500 characters, without < or >.',
    badgeName: 'Use up to 60 characters, without < or >.',
    topics: 'Choose topics from the list.',
    accreditation: (session) => `Nationality and ID document number are required for “${session}”.`,
    nationality: 'Choose your nationality from the list.',
    idDocumentNumber: 'Enter 4 to 40 letters, digits, spaces or dashes.',
  },
  errors: {
    rsvp_closed: 'Answers are closed; your answer was not changed.',
    not_enough_seats: 'There are no longer enough seats for your guests.',
    concurrent_update: 'Your invitation changed while you were answering. Please check and send it again.',
    seat_conflict: 'Seats changed while you were answering. Please check and send it again.',
    validation_failed: 'Some details are not valid.',
    payload_too_large: 'The form is too large. Please shorten the texts and try again.',
    csrf_failed: 'For your security, this page expired. Please check your details and send the form again.',
    internal_error: 'Something went wrong on our side. Please try again in a few minutes.',
  },
  admin: {
    title: 'Organizers’ dashboard',
    eventLabel: 'Event',
    signInHeading: 'Sign in',
    username: 'Username or email',
    password: 'Password',
    signIn: 'Sign in',
    signingIn: 'Signing in…',
    signOut: 'Sign out',
    signedInAs: 'Signed in as {name}',
    invalidCredentials: 'Wrong username or password.',
    sessionExpired: 'Your session expired; please sign in again.',
    mfaCode: 'Code from your authenticator app',
    newPassword: 'New password',
    newPasswordHint: 'At least 12 characters, with upper and lower case letters, digits and symbols.',
    continue: 'Continue',
    capacityHeading: 'Capacity',
    capacityRefresh: 'Refreshes every 10 seconds.',
    updatedAt: 'Updated at {time}',
    confirmed: 'Confirmed',
    waitlisted: 'Waitlisted',
    free: 'Free',
    declined: 'Declined',
    pending: 'No answer',
    seatsSummary: '{confirmed} confirmed · {waitlisted} waitlisted · {free} free of {capacity}',
    byCategory: 'By category',
    byCountry: 'By country',
    invitationsHeading: 'Invitations',
    search: 'Search (name, email, organization)',
    statusFilter: 'Status',
    categoryFilter: 'Category',
    countryFilter: 'Country (ISO code)',
    sort: 'Sort by',
    all: 'All',
    apply: 'Apply',
    total: '{count, plural, =0 {No invitations} one {# invitation} other {# invitations}}',
    loadMore: 'Load more',
    colName: 'Name',
    colEmail: 'Email',
    colUpdated: 'Last change',
    sessionLabel: 'Session',
    colOrganization: 'Organization',
    colCountry: 'Country',
    colCategory: 'Category',
    colSessions: 'Sessions',
    colDelivery: 'Email delivery',
    colActions: 'Actions',
    open: 'Open',
    resend: 'Resend invitation',
    resent: 'Invitation resent.',
    badge: 'Badge',
    historyHeading: 'History',
    close: 'Close',
    noHistory: 'No history.',
    importHeading: 'Import invitations',
    importFile: 'CSV file',
    importHint: 'Columns: email, name, title, organization, country, category, language, sessions, guests. The file is checked first; nothing is written until you confirm.',
    check: 'Check file',
    importNow: 'Import',
    previewOk: 'The file is valid: {created} new, {updated} updated, {unchanged} unchanged. Nothing has been written yet.',
    previewErrors: 'The file has errors; nothing was written. Fix them and check the file again.',
    colRow: 'Row',
    colField: 'Field',
    colMessage: 'Problem',
    imported: 'Imported: {created} new, {updated} updated, {unchanged} unchanged.',
    exportHeading: 'Export',
    exportAttendees: 'Attendees (CSV)',
    exportAccreditation: 'Accreditation (CSV)',
    printBadges: 'Badge print sheet (PDF)',
    loading: 'Loading…',
    failed: 'Could not complete: {message}',
    notAvailable: 'Not available yet.',
    needsScript: 'The dashboard needs JavaScript. Turn it on in your browser to sign in.',
    'breakdown': '{confirmed} confirmed · {waitlisted} waitlisted · {declined} declined · {pending} no answer',
    'category.mayor-mx': 'Mayor (Mexico)',
    'category.mayor-us': 'Mayor (United States)',
    'category.mayor-ca': 'Mayor (Canada)',
    'category.secretary-of-state': 'Secretary of state',
    'category.local-official': 'Local official',
    'category.academic': 'Academic',
    'category.private-sector': 'Private sector',
    'short.pending': 'No answer',
    'short.confirmed': 'Yes',
    'short.waitlisted': 'Waitlisted',
    'short.declined': 'No',
    'notInvited': 'Not invited',
    'delivery.none': 'Not sent yet',
    'delivery.sent': '{kind, select, invitation {Invitation sent} confirmation {Confirmation sent} waitlisted {Waiting-list notice sent} promoted {Seat notice sent} declined {Regrets acknowledged} other {Email sent}}',
    'delivery.delivered': 'Delivered',
    'delivery.bounced': 'Bounced: address refused',
    'delivery.soft-bounced': 'Not delivered yet',
    'delivery.complained': 'Marked as spam',
    'delivery.rejected': 'Not sent: rejected',
    'delivery.unknown': 'Unknown state',
    'deliveryDetail': 'Detail from the mail service: {detail}',
    'history.invitation.created': '{reason, select, resend {Invitation sent again} other {Invitation created}}',
    'history.invitation.updated': 'Changed: {fields}',
    'history.rsvp.confirmed': '{promoted, select, true {Promoted from the waiting list} other {Confirmed}}: {session} ({seats, plural, one {# seat} other {# seats}})',
    'history.rsvp.waitlisted': 'On the waiting list: {session} ({seats, plural, one {# seat} other {# seats}})',
    'history.rsvp.declined': 'Declined: {session}{previous, select, confirmed { (was confirmed)} waitlisted { (was on the waiting list)} other {}}',
    'history.seat.freed': '{seats, plural, one {# seat freed} other {# seats freed}}: {session}',
    'field.name': 'name',
    'field.title': 'title',
    'field.organization': 'organization',
    'field.country': 'country',
    'field.category': 'category',
    'field.language': 'language',
    'field.sessions': 'sessions',
    'field.guestsAllowed': 'guests allowed',
    'field.rsvp-details': 'answer details (guests, needs, badge name, topics)',
    'field.other': 'other details',
    'importError.email': 'Must be a valid email address, once in the file.',
    'importError.name': 'Required; plain text of at most 120 characters.',
    'importError.title': 'Plain text of at most 60 characters.',
    'importError.organization': 'Plain text of at most 160 characters.',
    'importError.country': 'Must be a two-letter ISO 3166-1 country code, such as MX, US or CA.',
    'importError.category': 'Must be one of these codes: {codes}.',
    'importError.language': 'Must be es, en or fr.',
    'importError.sessions': 'Session codes of this event separated by semicolons ({codes}); a session where the invitee holds a seat or a waiting-list place cannot be removed.',
    'importError.guests': 'A whole number from 0 to 2, not fewer than the guests the invitee already brings.',
    'importError.csv': 'The file must be CSV, with the header row {columns} and at least one invitation.',
    'importError.other': 'This value is not valid.',
    'colGuests': 'Guests',
    'colLanguage': 'Language',
    'colDietary': 'Dietary needs',
    'colAccessibility': 'Accessibility',
    'colBadgeName': 'Name on the badge',
    'colTopics': 'Topics of interest',
    'colAccreditation': 'Accreditation',
    'colTitle': 'Title',
    'accreditation.onFile': 'Received',
    'accreditation.none': 'Not received',
    'guestsOf': '{guests, plural, =0 {No guests} one {# guest} other {# guests}} (up to {allowed})',
    'none': '—',
    'topic.border-cooperation': 'Border cooperation',
    'topic.mobility': 'Mobility',
    'topic.tourism': 'Tourism',
    'topic.urban-sustainability': 'Urban sustainability',
    'topic.digital-governance': 'Digital government',
    'topic.citizen-security': 'Citizen security',
    'topic.trade': 'Trade',
    'pageRange': '{from}–{to} of {total}',
    'previousPage': 'Previous',
    'nextPage': 'Next',
    'pagerLabel': 'Pages of invitations',
  },
};

const fr: PageMessages = {
  languageName: 'Français',
  languageNav: 'Langue',
  skipToContent: 'Aller au contenu',
  footer: 'Ce lien vous est personnel; merci de ne pas le partager.',
  status: { pending: 'Sans réponse', confirmed: 'Confirmée', waitlisted: 'En liste d’attente', declined: 'Absent' },
  waitlistPosition: (position) => `rang ${position} sur la liste d’attente`,
  rsvp: {
    title: (event) => `Répondre à l’invitation — ${event}`,
    greeting: (name) => `Bonjour ${name},`,
    intro: 'Veuillez nous indiquer les séances auxquelles vous assisterez. Vous pourrez modifier votre réponse plus tard avec ce même lien.',
    venue: 'Lieu',
    timesNote: (city, zoneName) => `Toutes les heures indiquées sont à l’heure locale de ${city} (${zoneName}).`,
    respondBy: (deadline) => `Veuillez répondre au plus tard le ${sentenceEnd(deadline)}`,
    currentStatus: 'Statut actuel',
    attending: 'Serez-vous présent?',
    yes: 'Oui, je serai présent',
    no: 'Non, je ne serai pas présent',
    detailsHeading: 'Vos renseignements',
    guests: 'Accompagnateurs',
    guestsHint: (max) => `Votre invitation admet jusqu’à ${max} accompagnateur${max === 1 ? '' : 's'}.`,
    dietary: 'Besoins alimentaires',
    dietaryHint: 'Par exemple\u00a0: végétarien, sans gluten, allergies.',
    accessibility: 'Besoins d’accessibilité',
    accessibilityHint: 'Par exemple\u00a0: accès en fauteuil roulant, interprète en langue des signes.',
    badgeName: 'Nom sur le porte-nom',
    badgeNameHint: 'Laissez vide pour utiliser le nom de votre invitation.',
    topics: 'Sujets d’intérêt',
    topicsHint: 'Ils nous aident à préparer les séances de travail.',
    topicNames: {
      'border-cooperation': 'Coopération frontalière',
      mobility: 'Mobilité',
      tourism: 'Tourisme',
      'urban-sustainability': 'Développement urbain durable',
      'digital-governance': 'Gouvernance numérique',
      'citizen-security': 'Sécurité citoyenne',
      trade: 'Commerce',
    },
    accreditation: 'Accréditation de sécurité',
    accreditationNote: (session) => `Requis seulement si vous assistez à la séance «\u00a0${session}\u00a0». Ces renseignements ne sont transmis qu’à l’équipe d’accréditation.`,
    accreditationOnFile: 'Nous avons déjà vos renseignements d’accréditation; remplissez ces champs seulement pour les corriger.',
    nationality: 'Nationalité',
    nationalityChoose: 'Choisissez un pays',
    idDocumentNumber: 'Numéro de passeport ou de pièce d’identité',
    idDocumentNumberHint: 'Tel qu’il figure sur la pièce que vous présenterez à l’entrée.',
    submit: 'Envoyer ma réponse',
    errorSummary: 'Veuillez vérifier ce qui suit',
    closed: (deadline) => `La période de réponse a pris fin le ${sentenceEnd(deadline)} Votre réponse ne peut plus être modifiée; pour tout changement, écrivez au comité organisateur.`,
    yourAnswer: 'Votre réponse',
    none: 'Aucun',
  },
  result: {
    title: (event) => `Réponse reçue — ${event}`,
    heading: 'Merci, nous avons bien reçu votre réponse',
    confirmed: 'Participation confirmée',
    waitlisted: 'En liste d’attente',
    declined: 'Absent',
    pending: 'Sans réponse pour le moment',
    emailOnItsWay: 'Un courriel avec ce résumé vous a été envoyé.',
    nothingChanged: 'Votre réponse est identique à la précédente; nous n’enverrons donc pas de nouveau courriel.',
    badge: 'Télécharger mon porte-nom',
    badgeHint: 'Veuillez le présenter à l’accueil à votre arrivée.',
    changeAnswer: 'Modifier ma réponse',
    changeUntil: (deadline) => `Vous pouvez modifier votre réponse jusqu’au ${sentenceEnd(deadline)}`,
  },
  notFound: {
    title: 'Invitation introuvable',
    heading: 'Nous n’avons pas trouvé cette invitation',
    body: 'Vérifiez que le lien est complet\u00a0: les logiciels de courriel le coupent parfois sur deux lignes. Si le problème persiste, écrivez au comité organisateur.',
  },
  serverError: {
    title: 'Erreur',
    heading: 'Un problème est survenu de notre côté',
    body: 'Votre réponse n’a pas été enregistrée. Veuillez réessayer dans quelques minutes.',
  },
  fieldErrors: {
    responses: 'Indiquez si vous assisterez à au moins une séance.',
    session: 'Choisissez «\u00a0Oui\u00a0» ou «\u00a0Non\u00a0» pour cette séance.',
    guests: (max) => `Choisissez entre 0 et ${max} accompagnateurs.`,
    notEnoughSeats: (sessions) => `Il ne reste plus de places pour d’autres accompagnateurs à\u00a0: ${sessions}. Choisissez moins d’accompagnateurs.`,
    dietary: 'Utilisez au plus 500 caractères, sans < ni >.',
    accessibility: 'Utilisez au plus 500 caractères, sans < ni >.',
    badgeName: 'Utilisez au plus 60 caractères, sans < ni >.',
    topics: 'Choisissez des sujets dans la liste.',
    accreditation: (session) => `La nationalité et le numéro de pièce d’identité sont obligatoires pour la séance «\u00a0${session}\u00a0».`,
    nationality: 'Choisissez votre nationalité dans la liste.',
    idDocumentNumber: 'Entrez de 4 à 40 lettres, chiffres, espaces ou traits d’union.',
  },
  errors: {
    rsvp_closed: 'La période de réponse est terminée; votre réponse n’a pas été modifiée.',
    not_enough_seats: 'Il n’y a plus assez de places pour vos accompagnateurs.',
    concurrent_update: 'Votre invitation a changé pendant que vous répondiez. Vérifiez et envoyez-la de nouveau.',
    seat_conflict: 'Les places ont changé pendant que vous répondiez. Vérifiez et envoyez de nouveau.',
    validation_failed: 'Certains renseignements ne sont pas valides.',
    payload_too_large: 'Le formulaire est trop volumineux. Raccourcissez les textes et réessayez.',
    csrf_failed: 'Pour votre sécurité, cette page a expiré. Vérifiez vos renseignements et envoyez le formulaire de nouveau.',
    internal_error: 'Un problème est survenu de notre côté. Veuillez réessayer dans quelques minutes.',
  },
  admin: {
    title: 'Tableau de bord des organisateurs',
    eventLabel: 'Événement',
    signInHeading: 'Connexion',
    username: 'Nom d’utilisateur ou courriel',
    password: 'Mot de passe',
    signIn: 'Se connecter',
    signingIn: 'Connexion…',
    signOut: 'Se déconnecter',
    signedInAs: 'Connecté en tant que {name}',
    invalidCredentials: 'Nom d’utilisateur ou mot de passe incorrect.',
    sessionExpired: 'Votre session a expiré; veuillez vous reconnecter.',
    mfaCode: 'Code de votre application d’authentification',
    newPassword: 'Nouveau mot de passe',
    newPasswordHint: 'Au moins 12 caractères, avec majuscules, minuscules, chiffres et symboles.',
    continue: 'Continuer',
    capacityHeading: 'Capacité',
    capacityRefresh: 'Mise à jour toutes les 10 secondes.',
    updatedAt: 'Mis à jour à {time}',
    confirmed: 'Confirmés',
    waitlisted: 'En attente',
    free: 'Libres',
    declined: 'Absents',
    pending: 'Sans réponse',
    seatsSummary: '{confirmed, plural, one {# confirmée} other {# confirmées}} · {waitlisted} en attente · {free, plural, one {# libre} other {# libres}} sur {capacity}',
    byCategory: 'Par catégorie',
    byCountry: 'Par pays',
    invitationsHeading: 'Invitations',
    search: 'Rechercher (nom, courriel, organisation)',
    statusFilter: 'Statut',
    categoryFilter: 'Catégorie',
    countryFilter: 'Pays (code ISO)',
    sort: 'Trier par',
    all: 'Tous',
    apply: 'Appliquer',
    total: '{count, plural, =0 {Aucune invitation} one {# invitation} other {# invitations}}',
    loadMore: 'Afficher plus',
    colName: 'Nom',
    colEmail: 'Courriel',
    colUpdated: 'Dernière modification',
    sessionLabel: 'Séance',
    colOrganization: 'Organisation',
    colCountry: 'Pays',
    colCategory: 'Catégorie',
    colSessions: 'Séances',
    colDelivery: 'Envoi du courriel',
    colActions: 'Actions',
    open: 'Ouvrir',
    resend: 'Renvoyer l’invitation',
    resent: 'Invitation renvoyée.',
    badge: 'Porte-nom',
    historyHeading: 'Historique',
    close: 'Fermer',
    noHistory: 'Aucun historique.',
    importHeading: 'Importer des invitations',
    importFile: 'Fichier CSV',
    importHint: 'Colonnes\u00a0: email, name, title, organization, country, category, language, sessions, guests. Le fichier est d’abord vérifié; rien n’est enregistré avant votre confirmation.',
    check: 'Vérifier le fichier',
    importNow: 'Importer',
    previewOk: 'Le fichier est valide\u00a0: {created, plural, one {# nouvelle} other {# nouvelles}}, {updated, plural, one {# mise à jour} other {# mises à jour}}, {unchanged, plural, one {# inchangée} other {# inchangées}}. Rien n’a encore été enregistré.',
    previewErrors: 'Le fichier contient des erreurs; rien n’a été enregistré. Corrigez-les et vérifiez le fichier de nouveau.',
    colRow: 'Ligne',
    colField: 'Champ',
    colMessage: 'Problème',
    imported: 'Importation terminée\u00a0: {created, plural, one {# nouvelle} other {# nouvelles}}, {updated, plural, one {# mise à jour} other {# mises à jour}}, {unchanged, plural, one {# inchangée} other {# inchangées}}.',
    exportHeading: 'Exporter',
    exportAttendees: 'Participants (CSV)',
    exportAccreditation: 'Accréditation (CSV)',
    printBadges: 'Feuille de porte-noms à imprimer (PDF)',
    loading: 'Chargement…',
    failed: 'Impossible de terminer\u00a0: {message}',
    notAvailable: 'Pas encore disponible.',
    needsScript: 'Le tableau de bord nécessite JavaScript. Activez-le dans votre navigateur pour vous connecter.',
    'breakdown': '{confirmed, plural, one {# confirmation} other {# confirmations}} · {waitlisted} en attente · {declined} refus · {pending} sans réponse',
    'category.mayor-mx': 'Mairie (Mexique)',
    'category.mayor-us': 'Mairie (États-Unis)',
    'category.mayor-ca': 'Mairie (Canada)',
    'category.secretary-of-state': 'Secrétariat d’État',
    'category.local-official': 'Administration locale',
    'category.academic': 'Milieu universitaire',
    'category.private-sector': 'Secteur privé',
    'short.pending': 'Sans réponse',
    'short.confirmed': 'Oui',
    'short.waitlisted': 'En attente',
    'short.declined': 'Non',
    'notInvited': 'Hors invitation',
    'delivery.none': 'Pas encore envoyé',
    'delivery.sent': '{kind, select, invitation {Invitation envoyée} confirmation {Confirmation envoyée} waitlisted {Avis de liste d’attente envoyé} promoted {Avis de place envoyé} declined {Accusé d’absence envoyé} other {Courriel envoyé}}',
    'delivery.delivered': 'Remis',
    'delivery.bounced': 'Retourné\u00a0: adresse refusée',
    'delivery.soft-bounced': 'Pas encore remis',
    'delivery.complained': 'Signalé comme indésirable',
    'delivery.rejected': 'Non envoyé\u00a0: refusé',
    'delivery.unknown': 'État inconnu',
    'deliveryDetail': 'Détail du service de courriel\u00a0: {detail}',
    'history.invitation.created': '{reason, select, resend {Invitation renvoyée} other {Invitation créée}}',
    'history.invitation.updated': 'Modifications\u00a0: {fields}',
    'history.rsvp.confirmed': '{promoted, select, true {Place obtenue depuis la liste d’attente} other {Présence confirmée}}\u00a0: {session} ({seats, plural, one {# place} other {# places}})',
    'history.rsvp.waitlisted': 'En liste d’attente\u00a0: {session} ({seats, plural, one {# place} other {# places}})',
    'history.rsvp.declined': 'Absence\u00a0: {session}{previous, select, confirmed { (était confirmée)} waitlisted { (était en liste d’attente)} other {}}',
    'history.seat.freed': '{seats, plural, one {# place libérée} other {# places libérées}}\u00a0: {session}',
    'field.name': 'nom',
    'field.title': 'fonction',
    'field.organization': 'organisation',
    'field.country': 'pays',
    'field.category': 'catégorie',
    'field.language': 'langue',
    'field.sessions': 'séances',
    'field.guestsAllowed': 'accompagnants permis',
    'field.rsvp-details': 'détails de la réponse (accompagnants, besoins, nom sur le porte-nom, thèmes)',
    'field.other': 'autres données',
    'importError.email': 'Doit être une adresse courriel valide, une seule fois dans le fichier.',
    'importError.name': 'Obligatoire; texte simple d’au plus 120 caractères.',
    'importError.title': 'Texte simple d’au plus 60 caractères.',
    'importError.organization': 'Texte simple d’au plus 160 caractères.',
    'importError.country': 'Doit être un code de pays ISO 3166-1 à deux lettres, comme MX, US ou CA.',
    'importError.category': 'Doit être l’un de ces codes\u00a0: {codes}.',
    'importError.language': 'Doit être es, en ou fr.',
    'importError.sessions': 'Codes de séance de cet événement séparés par des points-virgules ({codes}); une séance où la personne a une place ou est en liste d’attente ne peut pas être retirée.',
    'importError.guests': 'Un nombre entier de 0 à 2, pas moins que les accompagnants que la personne amène déjà.',
    'importError.csv': 'Le fichier doit être un CSV avec la ligne d’en-tête {columns} et au moins une invitation.',
    'importError.other': 'Cette valeur n’est pas valide.',
    'colGuests': 'Accompagnants',
    'colLanguage': 'Langue',
    'colDietary': 'Alimentation',
    'colAccessibility': 'Accessibilité',
    'colBadgeName': 'Nom sur le porte-nom',
    'colTopics': 'Thèmes d’intérêt',
    'colAccreditation': 'Accréditation',
    'colTitle': 'Fonction',
    'accreditation.onFile': 'Reçue',
    'accreditation.none': 'Non reçue',
    'guestsOf': '{guests, plural, =0 {Aucun accompagnant} one {# accompagnant} other {# accompagnants}} (au plus {allowed})',
    'none': '—',
    'topic.border-cooperation': 'Coopération frontalière',
    'topic.mobility': 'Mobilité',
    'topic.tourism': 'Tourisme',
    'topic.urban-sustainability': 'Développement urbain durable',
    'topic.digital-governance': 'Gouvernement numérique',
    'topic.citizen-security': 'Sécurité citoyenne',
    'topic.trade': 'Commerce',
    'pageRange': '{from} à {to} sur {total}',
    'previousPage': 'Précédent',
    'nextPage': 'Suivant',
    'pagerLabel': 'Pages d’invitations',
  },
};

export const pageMessages: Readonly<Record<Language, PageMessages>> = { es, en, fr };
