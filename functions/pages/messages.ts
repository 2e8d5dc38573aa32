import type { Language, ResponseStatus, Topic } from '#domain/model.js';
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
 * The dashboard's texts. Plain strings only (placeholders as `{name}`): they travel to the browser
 * as a JSON data island, which CSP does not treat as script.
 */
export interface AdminMessages {
  title: string;
  mfaSetupIntro: string;
  mfaSetupSecret: string;
  mfaSetupCode: string;
  mfaEnrolled: string;
  accreditationHeading: string;
  clearanceNote: string;
  clear: string;
  refuse: string;
  auditHeading: string;
  auditActionFilter: string;
  auditActorFilter: string;
  auditExport: string;
  peopleHeading: string;
  peopleEmail: string;
  peopleRoles: string;
  peopleRolesHint: string;
  invite: string;
  saveRoles: string;
  remove: string;
  peopleAudit: string;
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

/** What the dashboard's script reads from the shell's data island: its texts and the status names. */
export type DashboardMessages = AdminMessages & { status: Record<ResponseStatus, string> };

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
    mfaSetupIntro: 'Su función requiere una aplicación de autenticación. Agregue esta clave (o abra el enlace en su teléfono) e ingrese el código que muestra.',
    mfaSetupSecret: 'Clave',
    mfaSetupCode: 'Código de su aplicación de autenticación',
    mfaEnrolled: 'Aplicación de autenticación agregada. Vuelva a iniciar sesión con su contraseña y un código.',
    accreditationHeading: 'Acreditación de seguridad',
    clearanceNote: 'Nota',
    clear: 'Aprobar',
    refuse: 'Rechazar',
    auditHeading: 'Auditoría',
    auditActionFilter: 'Acción',
    auditActorFilter: 'Quién (correo)',
    auditExport: 'Exportar auditoría (CSV)',
    peopleHeading: 'Personas',
    peopleEmail: 'Correo',
    peopleRoles: 'Funciones',
    peopleRolesHint: 'Una por línea: admin, o función:evento (organizer, security, door, viewer), p. ej. security:{event}',
    invite: 'Invitar',
    saveRoles: 'Guardar funciones',
    remove: 'Eliminar',
    peopleAudit: 'Quién cambió a quién',
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
    seatsSummary: '{confirmed} confirmados · {waitlisted} en espera · {free} libres de {capacity}',
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
    total: '{count} invitaciones',
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
    previewOk: 'Archivo válido: {created} nuevas, {updated} actualizadas, {unchanged} sin cambios. Aún no se ha guardado nada.',
    previewErrors: 'El archivo tiene errores; no se guardó nada. Corríjalos y vuelva a revisarlo.',
    colRow: 'Fila',
    colField: 'Campo',
    colMessage: 'Problema',
    imported: 'Importación lista: {created} nuevas, {updated} actualizadas, {unchanged} sin cambios.',
    exportHeading: 'Exportar',
    exportAttendees: 'Asistentes (CSV)',
    exportAccreditation: 'Acreditación (CSV)',
    printBadges: 'Hoja de gafetes para imprimir (PDF)',
    loading: 'Cargando…',
    failed: 'No se pudo completar: {message}',
    notAvailable: 'Aún no disponible.',
    needsScript: 'El panel necesita JavaScript. Actívelo en su navegador para iniciar sesión.',
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
    mfaSetupIntro: 'Your role needs an authenticator app. Add this key to it (or open the link on your phone), then enter the code it shows.',
    mfaSetupSecret: 'Key',
    mfaSetupCode: 'Code from your authenticator app',
    mfaEnrolled: 'Authenticator app added. Sign in again with your password and a code.',
    accreditationHeading: 'Security accreditation',
    clearanceNote: 'Note',
    clear: 'Clear',
    refuse: 'Refuse',
    auditHeading: 'Audit',
    auditActionFilter: 'Action',
    auditActorFilter: 'Who (email)',
    auditExport: 'Export audit (CSV)',
    peopleHeading: 'People',
    peopleEmail: 'Email',
    peopleRoles: 'Roles',
    peopleRolesHint: 'One per line: admin, or role:event (organizer, security, door, viewer), e.g. security:{event}',
    invite: 'Invite',
    saveRoles: 'Save roles',
    remove: 'Remove',
    peopleAudit: 'Who changed whom',
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
    total: '{count} invitations',
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
    mfaSetupIntro: 'Votre rôle exige une application d’authentification. Ajoutez-y cette clé (ou ouvrez le lien sur votre téléphone), puis saisissez le code affiché.',
    mfaSetupSecret: 'Clé',
    mfaSetupCode: 'Code de votre application d’authentification',
    mfaEnrolled: 'Application d’authentification ajoutée. Reconnectez-vous avec votre mot de passe et un code.',
    accreditationHeading: 'Accréditation de sécurité',
    clearanceNote: 'Note',
    clear: 'Autoriser',
    refuse: 'Refuser',
    auditHeading: 'Journal d’audit',
    auditActionFilter: 'Action',
    auditActorFilter: 'Qui (courriel)',
    auditExport: 'Exporter l’audit (CSV)',
    peopleHeading: 'Personnes',
    peopleEmail: 'Courriel',
    peopleRoles: 'Rôles',
    peopleRolesHint: 'Un par ligne : admin, ou rôle:événement (organizer, security, door, viewer), p. ex. security:{event}',
    invite: 'Inviter',
    saveRoles: 'Enregistrer les rôles',
    remove: 'Supprimer',
    peopleAudit: 'Qui a modifié qui',
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
    seatsSummary: '{confirmed} confirmés · {waitlisted} en attente · {free} libres sur {capacity}',
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
    total: '{count} invitations',
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
    previewOk: 'Le fichier est valide\u00a0: {created} nouvelles, {updated} mises à jour, {unchanged} inchangées. Rien n’a encore été enregistré.',
    previewErrors: 'Le fichier contient des erreurs; rien n’a été enregistré. Corrigez-les et vérifiez le fichier de nouveau.',
    colRow: 'Ligne',
    colField: 'Champ',
    colMessage: 'Problème',
    imported: 'Importation terminée\u00a0: {created} nouvelles, {updated} mises à jour, {unchanged} inchangées.',
    exportHeading: 'Exporter',
    exportAttendees: 'Participants (CSV)',
    exportAccreditation: 'Accréditation (CSV)',
    printBadges: 'Feuille de porte-noms à imprimer (PDF)',
    loading: 'Chargement…',
    failed: 'Impossible de terminer\u00a0: {message}',
    notAvailable: 'Pas encore disponible.',
    needsScript: 'Le tableau de bord nécessite JavaScript. Activez-le dans votre navigateur pour vous connecter.',
  },
};

export const pageMessages: Readonly<Record<Language, PageMessages>> = { es, en, fr };
