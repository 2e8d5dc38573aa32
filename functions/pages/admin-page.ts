import { LANGUAGES, type Language } from '#domain/model.js';
import { ORGANIZER_ROUTES, type OrganizerRouteKey } from '#domain/access/organizer-routes.js';
import { columnHeadings } from '#domain/invitations/spreadsheet.js';
import { countryOptions } from './country-options.js';
import { html, raw } from './html.js';
import { dashboardCatalogues, dashboardText } from '#i18n/dashboard/index.js';
import { contentSecurityPolicy } from './security.js';
import { documentHead, languageSwitcher, type RenderedPage } from './layout.js';

export const DEFAULT_EVENT_ID = 'na-mayors-summit-2019';
const EVENT_ID = /^[a-z0-9-]{3,64}$/;

/** `?event=` when it looks like an event id, else the summit's. The API decides whether it exists. */
export const pickEventId = (value: string | undefined) => (value && EVENT_ID.test(value) ? value : DEFAULT_EVENT_ID);

/**
 * The dashboard's policy: its script and stylesheet are static files from this origin, and the
 * script talks only to this origin's API. No inline script or style at all.
 */
export const ADMIN_CSP = contentSecurityPolicy({ style: ["'self'"], script: ["'self'"], connect: ["'self'"] });

/** JSON inside `<script type="application/json">`: `<` escaped so no value can close the element. */
/**
 * What calls organizer routes shows only for the roles one of them admits, read from the one table
 * of access (organizer-routes.ts): nobody is shown a control the API would refuse them, and a
 * change of who may do what changes the page with it. The script unhides by `data-roles`
 * (roles.ts); `data-route` says which routes, for the role test (test/browser/role-views.test.ts).
 */
const gated = (...routes: OrganizerRouteKey[]) =>
  raw(`data-route="${routes.join('|')}" data-roles="${[...new Set(routes.flatMap((r) => ORGANIZER_ROUTES[r].roles))].join(' ')}" hidden`);

const jsonIsland = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

type Text = ReturnType<typeof dashboardText>;

/** The sign-in form: password, then a TOTP code or its enrolment, or a new password when the pool asks for one. */
const signInSection = (t: Text) => html`<section id="signin" aria-labelledby="signin-title" class="card">
<h2 id="signin-title">${t('signInHeading')}</h2>
<noscript><p class="error-message">${t('needsScript')}</p></noscript>
<form id="signin-form" method="post" action="/admin/session" novalidate>
<p id="signin-error" class="error-message" role="alert" hidden></p>
<div id="signin-credentials">
<label for="username">${t('username')}</label>
<input type="text" id="username" name="username" autocomplete="username" required>
<label for="password">${t('password')}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
</div>
<div id="signin-mfa" hidden>
<label for="mfa-code">${t('mfaCode')}</label>
<input type="text" id="mfa-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}">
</div>
<div id="signin-mfa-setup" hidden>
<p>${t('mfaSetupIntro')}</p>
<p>${t('mfaSetupSecret')}: <code id="mfa-secret"></code></p>
<p><a id="mfa-uri" href="#">otpauth://</a></p>
<label for="mfa-setup-code">${t('mfaSetupCode')}</label>
<input type="text" id="mfa-setup-code" name="setupCode" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}">
</div>
<div id="signin-new-password" hidden>
<label for="new-password">${t('newPassword')}</label>
<p class="hint" id="new-password-hint">${t('newPasswordHint')}</p>
<input type="password" id="new-password" name="newPassword" autocomplete="new-password" aria-describedby="new-password-hint">
</div>
<p><button type="submit" id="signin-submit" disabled>${t('signIn')}</button></p>
</form>
</section>`;

/** Seats per session, drawn as bars, with the breakdown by category and country. */
const capacitySection = (t: Text) => html`<section id="capacity" aria-labelledby="capacity-title">
<h2 id="capacity-title">${t('capacityHeading')}</h2>
<p class="hint">${t('capacityRefresh')} <span id="capacity-updated" aria-live="polite"></span></p>
<p class="legend"><span><span class="swatch sw-confirmed"></span>${t('confirmed')}</span><span><span class="swatch sw-waitlisted"></span>${t('waitlisted')}</span><span><span class="swatch sw-free"></span>${t('free')}</span></p>
<div id="capacity-bars" class="card"></div>
<p><label for="capacity-session">${t('sessionLabel')}</label><select id="capacity-session"></select></p>
<div class="grid two">
<div class="card"><h3>${t('byCategory')}</h3><div id="capacity-category"></div></div>
<div class="card"><h3>${t('byCountry')}</h3><div id="capacity-country"></div></div>
</div>
</section>`;

/** The event's outline: RSVP deadline, early close and its sessions (edit, cancel, add). */
const eventSection = (t: Text) => html`<section id="event" aria-labelledby="event-title" class="card" ${gated('PUT /events/{eventId}')}>
<h2 id="event-title">${t('eventHeading')}</h2>
<p class="hint" id="event-version"></p>
<form id="event-form" novalidate>
<div class="filters">
<div><label for="event-deadline">${t('eventDeadline')}</label><input type="datetime-local" id="event-deadline" name="rsvpDeadline"></div>
<div><label for="event-closed"><input type="checkbox" id="event-closed" name="rsvpClosed"> ${t('eventClosedEarly')}</label></div>
</div>
<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">${t('eventSessionName')}</th><th scope="col">${t('eventSessionStart')}</th><th scope="col">${t('eventSessionEnd')}</th><th scope="col">${t('eventSessionCapacity')}</th><th scope="col">${t('eventSessionCancel')}</th></tr></thead>
<tbody id="event-sessions"></tbody></table></div>
<fieldset id="event-add"><legend>${t('eventAddSession')}</legend>
<div class="filters">
<div><label for="new-session-id">${t('eventNewSessionId')}</label><input type="text" id="new-session-id" maxlength="64" autocomplete="off"></div>
<div><label for="new-session-es">${t('eventNameEs')}</label><input type="text" id="new-session-es" maxlength="160"></div>
<div><label for="new-session-en">${t('eventNameEn')}</label><input type="text" id="new-session-en" maxlength="160"></div>
<div><label for="new-session-fr">${t('eventNameFr')}</label><input type="text" id="new-session-fr" maxlength="160"></div>
<div><label for="new-session-start">${t('eventSessionStart')}</label><input type="datetime-local" id="new-session-start"></div>
<div><label for="new-session-end">${t('eventSessionEnd')}</label><input type="datetime-local" id="new-session-end"></div>
<div><label for="new-session-capacity">${t('eventSessionCapacity')}</label><input type="number" id="new-session-capacity" min="1" max="100000"></div>
</div>
</fieldset>
<p><button type="submit" id="event-save">${t('eventSave')}</button></p>
</form>
<p id="event-status" aria-live="polite"></p>
</section>`;

/** A new event with its first session (admins only). */
const eventCreateSection = (t: Text, language: Language) => html`<section id="event-create" aria-labelledby="event-create-title" class="card" ${gated('POST /events')}>
<h2 id="event-create-title">${t('eventCreateHeading')}</h2>
<p class="hint">${t('eventCreateHint')}</p>
<form id="event-create-form" novalidate>
<div class="filters">
<div><label for="create-id">${t('eventId')}</label><input type="text" id="create-id" maxlength="64" autocomplete="off"></div>
<div><label for="create-es">${t('eventNameEs')}</label><input type="text" id="create-es" maxlength="160"></div>
<div><label for="create-en">${t('eventNameEn')}</label><input type="text" id="create-en" maxlength="160"></div>
<div><label for="create-fr">${t('eventNameFr')}</label><input type="text" id="create-fr" maxlength="160"></div>
<div><label for="create-venue">${t('eventVenueName')}</label><input type="text" id="create-venue" maxlength="160"></div>
<div><label for="create-city">${t('eventVenueCity')}</label><input type="text" id="create-city" maxlength="120"></div>
<div><label for="create-country">${t('eventVenueCountry')}</label><select id="create-country"><option value="">${t('chooseCountry')}</option>${countryOptions(language, '')}</select></div>
<div><label for="create-timezone">${t('eventTimezone')}</label><input type="text" id="create-timezone" maxlength="64"></div>
<div><label for="create-deadline">${t('eventDeadline')}</label><input type="datetime-local" id="create-deadline"></div>
</div>
<fieldset><legend>${t('eventAddSession')}</legend>
<div class="filters">
<div><label for="create-session-id">${t('eventNewSessionId')}</label><input type="text" id="create-session-id" maxlength="64" autocomplete="off"></div>
<div><label for="create-session-es">${t('eventNameEs')}</label><input type="text" id="create-session-es" maxlength="160"></div>
<div><label for="create-session-en">${t('eventNameEn')}</label><input type="text" id="create-session-en" maxlength="160"></div>
<div><label for="create-session-fr">${t('eventNameFr')}</label><input type="text" id="create-session-fr" maxlength="160"></div>
<div><label for="create-session-start">${t('eventSessionStart')}</label><input type="datetime-local" id="create-session-start"></div>
<div><label for="create-session-end">${t('eventSessionEnd')}</label><input type="datetime-local" id="create-session-end"></div>
<div><label for="create-session-capacity">${t('eventSessionCapacity')}</label><input type="number" id="create-session-capacity" min="1" max="100000"></div>
</div>
</fieldset>
<p><button type="submit" id="event-create-submit">${t('eventCreate')}</button></p>
</form>
<p id="event-create-status" aria-live="polite"></p>
</section>`;

/** Check-in arrivals, refreshed, with the check-in export. */
const arrivalsSection = (t: Text) => html`<section id="arrivals" aria-labelledby="arrivals-title" class="card" ${gated('GET /events/{eventId}/checkin/arrivals')}>
<h2 id="arrivals-title">${t('checkin.arrivalsHeading')}</h2>
<p class="hint">${t('checkin.arrivalsRefresh')} <button type="button" class="secondary" data-download="checkin" ${gated('GET /events/{eventId}/checkin.csv')}>${t('checkin.export')}</button></p>
<div id="arrivals-body" aria-live="polite"></div>
</section>`;

/** The invitation list: filters, sort, table and pager. */
const invitationsSection = (t: Text) => {
  const sortFields = { name: t('colName'), email: t('colEmail'), organization: t('colOrganization'), country: t('colCountry'), updatedAt: t('colUpdated') } as const;
  return html`<section id="invitations" aria-labelledby="invitations-title">
<h2 id="invitations-title">${t('invitationsHeading')}</h2>
<form id="filters" class="filters card" role="search">
<div><label for="filter-q">${t('search')}</label><input type="search" id="filter-q" name="q" maxlength="100"></div>
<div><label for="filter-status">${t('statusFilter')}</label><select id="filter-status" name="status"><option value="">${t('all', { what: 'status' })}</option>${(
    ['pending', 'confirmed', 'waitlisted', 'declined', 'revoked'] as const
  ).map((st) => html`<option value="${st}">${t(`status.${st}`)}</option>`)}</select></div>
<div><label for="filter-category">${t('categoryFilter')}</label><select id="filter-category" name="category"><option value="">${t('all', { what: 'category' })}</option></select></div>
<div><label for="filter-country">${t('countryFilter')}</label><select id="filter-country" name="country"><option value="">${t('all', { what: 'country' })}</option></select></div>
<div><label for="filter-sort">${t('sort')}</label><select id="filter-sort" name="sort">${Object.entries(sortFields).map(([v, label]) => html`<option value="${v}">${label}</option>`)}</select></div>
<div><button type="submit">${t('apply')}</button></div>
</form>
<p id="inv-total" aria-live="polite"></p>
<div class="table-wrap"><table id="inv-table" class="compact">
<caption class="skip">${t('invitationsHeading')}</caption>
<thead id="inv-head"></thead>
<tbody id="inv-rows"></tbody>
</table></div>
<nav id="inv-pager" class="pager" aria-label="${t('pagerLabel')}" hidden><button type="button" id="inv-prev" class="secondary">${t('previousPage')}</button> <span id="inv-range" aria-live="polite"></span> <button type="button" id="inv-next" class="secondary">${t('nextPage')}</button></nav>
</section>`;
};

/** CSV import: check first, then import. */
const importSection = (t: Text, language: Language) => html`<section id="import" aria-labelledby="import-title" class="card" ${gated('POST /events/{eventId}/invitations')}>
<h2 id="import-title">${t('importHeading')}</h2>
<p><button type="button" id="import-template" class="secondary">${t('importTemplate')}</button></p>
<form id="import-form" novalidate>
<label for="import-file">${t('importFile')}</label>
<p class="hint" id="import-hint">${t('importHint', {
  columns: columnHeadings(language).join(', '),
})}</p>
<input type="file" id="import-file" name="file" accept=".csv,text/csv" aria-describedby="import-hint">
<p><button type="submit" id="import-check">${t('check')}</button> <button type="button" id="import-commit" class="secondary" disabled>${t('importNow')}</button></p>
</form>
<div id="import-result" aria-live="polite"></div>
</section>`;

/** Downloads: attendees, accreditation, badges. */
const exportSection = (
  t: Text,
) => html`<section id="export" aria-labelledby="export-title" class="card" ${gated('GET /events/{eventId}/attendees.csv', 'GET /events/{eventId}/accreditation', 'GET /events/{eventId}/badges.pdf')}>
<h2 id="export-title">${t('exportHeading')}</h2>
<p><button type="button" class="secondary" data-download="attendees" ${gated('GET /events/{eventId}/attendees.csv')}>${t('exportAttendees')}</button>
<button type="button" class="secondary" data-download="accreditation" ${gated('GET /events/{eventId}/accreditation')}>${t('exportAccreditation')}</button>
<button type="button" class="secondary" data-download="badges" ${gated('GET /events/{eventId}/badges.pdf')}>${t('printBadges')}</button></p>
<p id="export-status" aria-live="polite"></p>
</section>`;

/** Reminders and messages to a chosen set of invitees, one subject and body per language, and the messages sent. */
const messagesSection = (
  t: Text,
) => html`<section id="messages" aria-labelledby="messages-title" class="card" ${gated('GET /events/{eventId}/messages', 'POST /events/{eventId}/messages', 'POST /events/{eventId}/reminders/run')}>
<h2 id="messages-title">${t('messagesHeading')}</h2>
<p class="hint">${t('remindersHint')}</p>
<p><button type="button" id="reminders-run" class="secondary">${t('remindersRun')}</button> <span id="reminders-status" aria-live="polite"></span></p>
<form id="message-form" novalidate>
<fieldset class="filters"><legend>${t('messageRecipients')}</legend>
<div><label for="msg-session">${t('messageSession')}</label><select id="msg-session" name="sessionId"><option value="">${t('anySession')}</option></select></div>
<div><label for="msg-status">${t('statusFilter')}</label><select id="msg-status" name="status"><option value="">${t('all', { what: 'status' })}</option>${(['pending', 'confirmed', 'waitlisted', 'declined'] as const).map((st) => html`<option value="${st}">${t(`status.${st}`)}</option>`)}</select></div>
<div><label for="msg-category">${t('categoryFilter')}</label><select id="msg-category" name="category"><option value="">${t('all', { what: 'category' })}</option></select></div>
<div><label for="msg-country">${t('countryFilter')}</label><select id="msg-country" name="country"><option value="">${t('all', { what: 'country' })}</option></select></div>
<div><label for="msg-language">${t('messageLanguageFilter')}</label><select id="msg-language" name="language"><option value="">${t('all', { what: 'language' })}</option>${LANGUAGES.map((l) => html`<option value="${l}">${dashboardText(l)('languageName')}</option>`)}</select></div>
</fieldset>
${LANGUAGES.map(
  (l) => html`<fieldset lang="${l}"><legend>${dashboardText(l)('languageName')}</legend>
<label for="msg-subject-${l}">${t('messageSubject')}</label><input type="text" id="msg-subject-${l}" name="subject-${l}" maxlength="200">
<label for="msg-body-${l}">${t('messageBody')}</label><textarea id="msg-body-${l}" name="body-${l}" rows="6"></textarea></fieldset>`,
)}
<p class="hint">${t('messageHint')}</p>
<p><button type="submit" id="message-preview">${t('messagePreview')}</button> <button type="button" id="message-send" class="secondary" disabled>${t('messageSend')}</button></p>
</form>
<p id="message-error" class="error-message" role="alert" hidden></p>
<div id="message-result" aria-live="polite"></div>
<h3>${t('messagesSent')}</h3>
<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">${t('colSentAt')}</th><th scope="col">${t('messageSubject')}</th><th scope="col" class="num">${t('colRecipients')}</th><th scope="col">${t('colCounts')}</th></tr></thead>
<tbody id="messages-rows"></tbody></table></div>
</section>`;

/** Accreditation: identity documents and clearance decisions. */
const accreditationSection = (
  t: Text,
) => html`<section id="accreditation" aria-labelledby="accreditation-title" class="card" ${gated('GET /events/{eventId}/accreditation', 'PUT /events/{eventId}/accreditation/{invitationId}/clearance')}>
<h2 id="accreditation-title">${t('accreditationHeading')}</h2>
<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">${t('colName')}</th><th scope="col">${t('colOrganization')}</th><th scope="col">${t('colCountry')}</th><th scope="col">${t('colIdDocument')}</th><th scope="col">${t('colClearance')}</th><th scope="col">${t('clearanceNote')}</th><th scope="col">${t('colActions')}</th></tr></thead>
<tbody id="accreditation-rows"></tbody></table></div>
<p id="accreditation-status" aria-live="polite"></p>
</section>`;

/** The audit trail, filtered by action and actor, with its export. */
const auditSection = (t: Text) => html`<section id="audit" aria-labelledby="audit-title" class="card" ${gated('GET /events/{eventId}/audit')}>
<h2 id="audit-title">${t('auditHeading')}</h2>
<form id="audit-filters" class="filters" role="search">
<div><label for="audit-action">${t('auditActionFilter')}</label><input type="text" id="audit-action" name="action" maxlength="64"></div>
<div><label for="audit-actor">${t('auditActorFilter')}</label><input type="text" id="audit-actor" name="actor" maxlength="254"></div>
<div><button type="submit">${t('apply')}</button> <button type="button" id="audit-export" class="secondary">${t('auditExport')}</button></div>
</form>
<ol id="audit-rows"></ol>
<p id="audit-status" aria-live="polite"></p>
</section>`;

/** People with access to the dashboard: invite with roles, the list, and the people trail. */
const peopleSection = (t: Text) => html`<section id="people" aria-labelledby="people-title" class="card" ${gated('GET /people', 'POST /people', 'GET /people/audit')}>
<h2 id="people-title">${t('peopleHeading')}</h2>
<form id="people-invite" novalidate>
<label for="people-email">${t('peopleEmail')}</label>
<input type="email" id="people-email" name="email" autocomplete="off">
<fieldset class="grants-field" aria-describedby="people-roles-hint">
<legend>${t('peopleRoles')}</legend>
<p class="hint" id="people-roles-hint">${t('peopleRolesHint')}</p>
<div id="people-grants"></div>
</fieldset>
<p><button type="submit">${t('invite')}</button></p>
</form>
<p id="people-status" aria-live="polite"></p>
<div class="table-wrap"><table class="stack"><thead><tr><th scope="col">${t('peopleEmail')}</th><th scope="col">${t('peopleRoles')}</th><th scope="col">${t('colActions')}</th></tr></thead>
<tbody id="people-rows"></tbody></table></div>
<h3>${t('peopleAudit')}</h3>
<p><button type="button" id="people-audit-export" class="secondary">${t('auditExport')}</button></p>
<ol id="people-audit"></ol>
</section>`;

/** One invitation's detail and its actions. */
const detailDialog = (t: Text) => html`<dialog id="detail" aria-labelledby="detail-title">
<h2 id="detail-title"></h2>
<div id="detail-body"></div>
<div id="detail-form" hidden></div>
<p class="detail-actions" ${gated('PATCH /events/{eventId}/invitations/{invitationId}', 'POST /events/{eventId}/invitations/{invitationId}/replace', 'POST /events/{eventId}/invitations/{invitationId}/answer', 'POST /events/{eventId}/invitations/{invitationId}/revoke')}><button type="button" id="detail-edit" class="secondary" ${gated('PATCH /events/{eventId}/invitations/{invitationId}')}>${t('edit')}</button> <button type="button" id="detail-replace" class="secondary" ${gated('POST /events/{eventId}/invitations/{invitationId}/replace')}>${t('replace')}</button> <button type="button" id="detail-answer" class="secondary" ${gated('POST /events/{eventId}/invitations/{invitationId}/answer')}>${t('answerFor')}</button> <button type="button" id="detail-revoke" class="secondary" ${gated('POST /events/{eventId}/invitations/{invitationId}/revoke')}>${t('revoke')}</button></p>
<p><button type="button" id="detail-resend" class="secondary" ${gated('POST /events/{eventId}/invitations/{invitationId}/resend')}>${t('resend')}</button> <button type="button" id="detail-badge" class="secondary" ${gated('GET /events/{eventId}/invitations/{invitationId}/badge')}>${t('badge')}</button> <button type="button" id="detail-close">${t('close')}</button></p>
<p id="detail-status" aria-live="polite"></p>
</dialog>`;

/**
 * The organizers' dashboard shell: a static page whose script signs in, then draws capacity,
 * invitations, import and export from the JSON API. Everything here works before sign-in and
 * holds no data; the data arrives only with an organizer's token. The sign-in button is enabled by
 * the script: a form submitted without it would otherwise go out as a GET, with the password in the URL.
 */
export const renderAdminPage = (language: Language, eventId: string): RenderedPage => {
  const t = dashboardText(language);
  const switcherText = { label: t('languageNav'), name: (l: Language) => dashboardText(l)('languageName') };
  const page = html`${documentHead(language, t('title'), html`<link rel="stylesheet" href="/admin/app.css">`)}
<body>
<a class="skip" href="#main">${t('skipToContent')}</a>
<header class="site"><p class="brand">Cumbre · ${t('title')}</p>${languageSwitcher(language, LANGUAGES, (l) => `?lang=${l}&event=${eventId}`, switcherText)}</header>
<main id="main" class="wide" tabindex="-1" data-event="${eventId}" data-lang="${language}">
<h1>${t('title')}</h1>
<p id="event-line" hidden>${t('eventLabel')}: <strong id="event-name"></strong></p>

${signInSection(t)}

<div id="app" hidden>
<p><span id="whoami"></span> <button type="button" id="signout" class="secondary">${t('signOut')}</button></p>
<form id="event-switch" method="get" class="switch" hidden>
<input type="hidden" name="lang" value="${language}">
<label for="event-switch-select">${t('eventSwitch')}</label>
<select id="event-switch-select" name="event"></select>
<button type="submit" class="secondary">${t('eventOpen')}</button>
</form>
<p id="app-error" class="error-message" role="alert" hidden></p>

${capacitySection(t)}

${eventSection(t)}

${eventCreateSection(t, language)}

${arrivalsSection(t)}

${invitationsSection(t)}

${importSection(t, language)}

${exportSection(t)}

${messagesSection(t)}

${accreditationSection(t)}

${auditSection(t)}

${peopleSection(t)}
</div>

${detailDialog(t)}
</main>
<script type="application/json" id="admin-messages">${jsonIsland(dashboardCatalogues[language])}</script>
<script src="/admin/app.js"></script>
</body>
</html>
`;
  return { html: page.value, csp: ADMIN_CSP };
};
