import { CATEGORIES, LANGUAGES, type Language } from '#domain/model.js';
import { html, raw } from './html.js';
import { pageMessages, type DashboardMessages } from './messages.js';
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
const jsonIsland = (value: unknown) => raw(JSON.stringify(value).replace(/</g, '\\u003c'));

/**
 * The organizers' dashboard shell: a static page whose script signs in, then draws capacity,
 * invitations, import and export from the JSON API. Everything here works before sign-in and
 * holds no data; the data arrives only with an organizer's token. The sign-in button is enabled by
 * the script: a form submitted without it would otherwise go out as a GET, with the password in the URL.
 */
export const renderAdminPage = (language: Language, eventId: string): RenderedPage => {
  const m = pageMessages[language].admin;
  const s = pageMessages[language].status;
  const sortFields = { name: m.colName, email: m.colEmail, organization: m.colOrganization, country: m.colCountry, updatedAt: m.colUpdated } as const;
  const page = html`${documentHead(language, m.title, html`<link rel="stylesheet" href="/admin/app.css">`)}
<body>
<a class="skip" href="#main">${pageMessages[language].skipToContent}</a>
<header class="site"><p class="brand">Cumbre · ${m.title}</p>${languageSwitcher(language, LANGUAGES, (l) => `?lang=${l}&event=${eventId}`)}</header>
<main id="main" class="wide" tabindex="-1" data-event="${eventId}" data-lang="${language}">
<h1>${m.title}</h1>
<p>${m.eventLabel}: <strong>${eventId}</strong></p>

<section id="signin" aria-labelledby="signin-title" class="card">
<h2 id="signin-title">${m.signInHeading}</h2>
<noscript><p class="error-message">${m.needsScript}</p></noscript>
<form id="signin-form" method="post" action="/admin/session" novalidate>
<p id="signin-error" class="error-message" role="alert" hidden></p>
<div id="signin-credentials">
<label for="username">${m.username}</label>
<input type="text" id="username" name="username" autocomplete="username" required>
<label for="password">${m.password}</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
</div>
<div id="signin-mfa" hidden>
<label for="mfa-code">${m.mfaCode}</label>
<input type="text" id="mfa-code" name="code" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}">
</div>
<div id="signin-mfa-setup" hidden>
<p>${m.mfaSetupIntro}</p>
<p>${m.mfaSetupSecret}: <code id="mfa-secret"></code></p>
<p><a id="mfa-uri" href="#">otpauth://</a></p>
<label for="mfa-setup-code">${m.mfaSetupCode}</label>
<input type="text" id="mfa-setup-code" name="setupCode" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9]{6}">
</div>
<div id="signin-new-password" hidden>
<label for="new-password">${m.newPassword}</label>
<p class="hint" id="new-password-hint">${m.newPasswordHint}</p>
<input type="password" id="new-password" name="newPassword" autocomplete="new-password" aria-describedby="new-password-hint">
</div>
<p><button type="submit" id="signin-submit" disabled>${m.signIn}</button></p>
</form>
</section>

<div id="app" hidden>
<p><span id="whoami"></span> <button type="button" id="signout" class="secondary">${m.signOut}</button></p>
<p id="app-error" class="error-message" role="alert" hidden></p>

<section id="capacity" aria-labelledby="capacity-title">
<h2 id="capacity-title">${m.capacityHeading}</h2>
<p class="hint">${m.capacityRefresh} <span id="capacity-updated" aria-live="polite"></span></p>
<p class="legend"><span><span class="swatch sw-confirmed"></span>${m.confirmed}</span><span><span class="swatch sw-waitlisted"></span>${m.waitlisted}</span><span><span class="swatch sw-free"></span>${m.free}</span></p>
<div id="capacity-bars" class="card"></div>
<p><label for="capacity-session">${m.sessionLabel}</label><select id="capacity-session"></select></p>
<div class="grid two">
<div class="card"><h3>${m.byCategory}</h3><div id="capacity-category"></div></div>
<div class="card"><h3>${m.byCountry}</h3><div id="capacity-country"></div></div>
</div>
</section>

<section id="invitations" aria-labelledby="invitations-title">
<h2 id="invitations-title">${m.invitationsHeading}</h2>
<form id="filters" class="filters card" role="search">
<div><label for="filter-q">${m.search}</label><input type="search" id="filter-q" name="q" maxlength="100"></div>
<div><label for="filter-status">${m.statusFilter}</label><select id="filter-status" name="status"><option value="">${m.all}</option>${(['pending', 'confirmed', 'waitlisted', 'declined'] as const).map(
    (st) => html`<option value="${st}">${s[st]}</option>`,
  )}</select></div>
<div><label for="filter-category">${m.categoryFilter}</label><select id="filter-category" name="category"><option value="">${m.all}</option>${CATEGORIES.map((c) => html`<option value="${c}">${c}</option>`)}</select></div>
<div><label for="filter-country">${m.countryFilter}</label><input type="text" id="filter-country" name="country" maxlength="2" autocomplete="off"></div>
<div><label for="filter-sort">${m.sort}</label><select id="filter-sort" name="sort">${Object.entries(sortFields).map(([v, label]) => html`<option value="${v}">${label}</option>`)}</select></div>
<div><button type="submit">${m.apply}</button></div>
</form>
<p id="inv-total" aria-live="polite"></p>
<div class="table-wrap"><table>
<caption class="skip">${m.invitationsHeading}</caption>
<thead><tr><th scope="col">${m.colName}</th><th scope="col">${m.colOrganization}</th><th scope="col">${m.colCountry}</th><th scope="col">${m.colCategory}</th><th scope="col">${m.colSessions}</th><th scope="col">${m.colDelivery}</th><th scope="col">${m.colActions}</th></tr></thead>
<tbody id="inv-rows"></tbody>
</table></div>
<p><button type="button" id="inv-more" class="secondary" hidden>${m.loadMore}</button></p>
</section>

<section id="import" aria-labelledby="import-title" class="card">
<h2 id="import-title">${m.importHeading}</h2>
<form id="import-form" novalidate>
<label for="import-file">${m.importFile}</label>
<p class="hint" id="import-hint">${m.importHint}</p>
<input type="file" id="import-file" name="file" accept=".csv,text/csv" aria-describedby="import-hint">
<p><button type="submit" id="import-check">${m.check}</button> <button type="button" id="import-commit" class="secondary" disabled>${m.importNow}</button></p>
</form>
<div id="import-result" aria-live="polite"></div>
</section>

<section id="export" aria-labelledby="export-title" class="card">
<h2 id="export-title">${m.exportHeading}</h2>
<p><button type="button" class="secondary" data-download="attendees">${m.exportAttendees}</button>
<button type="button" class="secondary" data-download="accreditation" data-roles="admin security" hidden>${m.exportAccreditation}</button>
<button type="button" class="secondary" data-download="badges">${m.printBadges}</button></p>
<p id="export-status" aria-live="polite"></p>
</section>

<section id="accreditation" aria-labelledby="accreditation-title" class="card" data-roles="admin security" hidden>
<h2 id="accreditation-title">${m.accreditationHeading}</h2>
<div class="table-wrap"><table><thead><tr><th scope="col">${m.colName}</th><th scope="col">${m.colOrganization}</th><th scope="col">${m.colCountry}</th><th scope="col">ID</th><th scope="col">${m.statusFilter}</th><th scope="col">${m.clearanceNote}</th><th scope="col">${m.colActions}</th></tr></thead>
<tbody id="accreditation-rows"></tbody></table></div>
<p id="accreditation-status" aria-live="polite"></p>
</section>

<section id="audit" aria-labelledby="audit-title" class="card" data-roles="admin security" hidden>
<h2 id="audit-title">${m.auditHeading}</h2>
<form id="audit-filters" class="filters" role="search">
<div><label for="audit-action">${m.auditActionFilter}</label><input type="text" id="audit-action" name="action" maxlength="64"></div>
<div><label for="audit-actor">${m.auditActorFilter}</label><input type="text" id="audit-actor" name="actor" maxlength="254"></div>
<div><button type="submit">${m.apply}</button> <button type="button" id="audit-export" class="secondary">${m.auditExport}</button></div>
</form>
<ol id="audit-rows"></ol>
<p id="audit-status" aria-live="polite"></p>
</section>

<section id="people" aria-labelledby="people-title" class="card" data-roles="admin" hidden>
<h2 id="people-title">${m.peopleHeading}</h2>
<form id="people-invite" novalidate>
<label for="people-email">${m.peopleEmail}</label>
<input type="email" id="people-email" name="email" autocomplete="off">
<label for="people-roles">${m.peopleRoles}</label>
<p class="hint" id="people-roles-hint">${m.peopleRolesHint.replace('{event}', eventId)}</p>
<textarea id="people-roles" name="roles" rows="3" aria-describedby="people-roles-hint"></textarea>
<p><button type="submit">${m.invite}</button></p>
</form>
<p id="people-status" aria-live="polite"></p>
<div class="table-wrap"><table><thead><tr><th scope="col">${m.peopleEmail}</th><th scope="col">${m.peopleRoles}</th><th scope="col">${m.colActions}</th></tr></thead>
<tbody id="people-rows"></tbody></table></div>
<h3>${m.peopleAudit}</h3>
<ol id="people-audit"></ol>
</section>
</div>

<dialog id="detail" aria-labelledby="detail-title">
<h2 id="detail-title"></h2>
<div id="detail-body"></div>
<p><button type="button" id="detail-resend" class="secondary">${m.resend}</button> <button type="button" id="detail-badge" class="secondary">${m.badge}</button> <button type="button" id="detail-close">${m.close}</button></p>
<p id="detail-status" aria-live="polite"></p>
</dialog>
</main>
<script type="application/json" id="admin-messages">${jsonIsland({ ...m, status: s } satisfies DashboardMessages)}</script>
<script src="/admin/app.js"></script>
</body>
</html>
`;
  return { html: page.value, csp: ADMIN_CSP };
};
