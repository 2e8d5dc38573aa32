import { regionName } from '#domain/email/templates.js';
import { countryOptions } from './country-options.js';
import { overlapsOf } from '#domain/schedule.js';
import { formatLocal, formatLocalRange } from '#domain/time.js';
import { COMPANION_ROLES, type Language } from '#domain/model.js';
import type { RsvpView, SessionView } from '#domain/rsvp.js';
import { attr, html, type SafeHtml } from './html.js';
import { renderLayout, type RenderedPage } from './layout.js';
import { inviteeText, type InviteeKey } from '#i18n/invitee/index.js';
import type { Translate } from '#i18n/format.js';

type T = Translate<InviteeKey>;
import { COMPANION_FIELD, SESSION_FIELD, type CompanionRow, type FormErrors, type RsvpFormValues } from './rsvp-form.js';

/**
 * Progressive enhancement for the accreditation fieldsets (the invitee's and each companion's):
 * without JavaScript they are always shown, with a note saying when they are needed; with it, they
 * appear only while a session that needs them is answered "yes". Companion rows: without JavaScript
 * every row is shown (an empty row is no one); with it, only the named ones, with "Add a companion"
 * and a "Remove" button per row (which empties the row, so sending the form removes that person). Static text, so the page's CSP allows it by hash. It also moves focus to the
 * error summary after a refused submit, so screen readers start there.
 */
export const RSVP_SCRIPT = `(function(){var all=function(q,r){return [].slice.call((r||document).querySelectorAll(q));};var parts=all('[data-sessions]');var u=function(){parts.forEach(function(f){var ids=(f.getAttribute('data-sessions')||'').split(' ');f.hidden=!ids.some(function(id){var r=document.getElementById('session-'+id+'-yes');return r&&r.checked;});});};document.addEventListener('change',u);u();var rows=all('fieldset.companion'),add=document.getElementById('companion-add');if(rows.length&&add){var kept=function(e){return e.name.slice(-9)==='.language';};var used=function(r){return all('input,select',r).some(function(e){return !kept(e)&&e.value.trim();})||r.querySelector('.error-message');};var sync=function(){add.hidden=!rows.some(function(r){return r.hidden;});};rows.forEach(function(r){if(!used(r))r.hidden=true;var b=r.querySelector('[data-remove]');b.hidden=false;b.addEventListener('click',function(){all('input,select',r).forEach(function(e){if(!kept(e))e.value='';});r.hidden=true;sync();add.focus();});});add.addEventListener('click',function(){var r=rows.filter(function(x){return x.hidden;})[0];if(r){r.hidden=false;r.querySelector('input[type=text]').focus();}sync();});sync();}var s=document.getElementById('error-summary');if(s)s.focus();})();`;

export interface RsvpPageInput {
  view: RsvpView;
  token: string;
  language: Language;
  values: RsvpFormValues;
  errors?: FormErrors;
  /** CSRF token for the hidden field; absent on read-only pages. */
  csrf?: string;
  /** The sealed invitation the form was rendered from (`page-start.ts`), for its hidden field. */
  start?: string;
}

const domId = (key: string) => key.replace(/[^A-Za-z0-9_-]/g, '-');
const errorId = (key: string) => `${domId(key)}-error`;

export const sessionWhen = (s: Pick<SessionView, 'start' | 'end'>, view: RsvpView, language: Language) =>
  formatLocalRange(s.start, s.end, view.event.timezone, language, 'dateTime');

const statusBadge = (s: SessionView, t: T) =>
  html`<span class="status status-${s.status}">${t(`status.${s.status}`)}${s.status === 'waitlisted' && s.waitlistPosition ? ` (${t('waitlistPosition', { position: s.waitlistPosition })})` : ''}</span>`;

const errorText = (errors: FormErrors, key: string) => (errors[key] ? html`<p class="error-message" id="${errorId(key)}">${errors[key]}</p>` : '');

/** `aria-describedby` for a control: its hint and, when refused, its error. */
const describedBy = (errors: FormErrors, key: string, hint?: string) => {
  const ids = [hint, errors[key] ? errorId(key) : undefined].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : '';
};
const invalid = (errors: FormErrors, key: string) => attr('aria-invalid="true"', Boolean(errors[key]));

const eventHeader = (view: RsvpView, language: Language, t: T) => {
  const first = view.sessions[0];
  const zone = first ? formatLocal(first.start, view.event.timezone, language, 'timeZoneName') : view.event.timezone;
  return html`<div class="card">
<p class="meta"><strong>${t('label', { label: t('rsvp.venue') })}</strong> ${view.event.venue.name}, ${view.event.venue.city}, ${regionName(view.event.venue.country, language)}</p>
<p class="meta">${t('rsvp.timesNote', { city: view.event.venue.city, zoneName: zone })}</p>
</div>`;
};

const deadlineText = (view: RsvpView, language: Language) => formatLocal(view.deadline, view.event.timezone, language, 'dateTime');

const errorSummary = (errors: FormErrors, view: RsvpView, t: T) => {
  const keys = Object.keys(errors);
  if (!keys.length) return '';
  return html`<div class="error-summary" id="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title">
<h2 id="error-summary-title">${t('rsvp.errorSummary')}</h2>
<ul>${keys.map((k) => html`<li><a href="#${fieldAnchor(k, view)}">${errors[k]}</a></li>`)}</ul>
</div>`;
};

/** Where an error summary link jumps: the first control of the field, so focus lands where typing starts. */
const fieldAnchor = (key: string, view: RsvpView) => {
  if (key === 'form' || key === 'responses') return view.sessions[0] ? `session-${view.sessions[0].id}-yes` : 'sessions';
  if (key.startsWith('session.')) return `${domId(key)}-yes`;
  if (key === 'topics') return view.event.topics[0] ? `topic-${view.event.topics[0].id}` : 'topics';
  if (key === 'accreditation') return 'nationality';
  if (key === 'guests') return view.invitation.guestsAllowed > 0 ? 'companion-1-name' : 'sessions';
  if (/^companion\.\d+\.accreditation$/.test(key)) return `${domId(key.replace(/accreditation$/, 'nationality'))}`;
  return domId(key);
};

/** Beside a session that shares its time with another: which one (the President's session inside working day 1). */
const overlapNote = (s: SessionView, view: RsvpView, language: Language, t: T) => {
  const others = overlapsOf(view.sessions.filter((x) => !x.cancelled)).get(s.id) ?? [];
  return others.length ? html`<p class="meta overlap">${others.map((o) => t('overlap', { session: o.name[language] })).join(' ')}</p>` : '';
};

const sessionFieldset = (s: SessionView, input: RsvpPageInput, t: T): SafeHtml => {
  const errors = input.errors ?? {};
  const key = SESSION_FIELD(s.id);
  const id = domId(key);
  const answer = input.values.answers[s.id];
  const radio = (value: 'yes' | 'no', label: string) =>
    html`<label for="session-${s.id}-${value}"><input type="radio" id="session-${s.id}-${value}" name="session.${s.id}" value="${value}"${attr('checked', answer === value)}> ${label}</label>`;
  return html`<fieldset id="${id}" class="choice${errors[key] ? ' invalid' : ''}" aria-describedby="${id}-when ${id}-status${errors[key] ? ` ${errorId(key)}` : ''}">
<legend>${s.name[input.language]}</legend>
<p class="meta" id="${id}-when">${sessionWhen(s, input.view, input.language)}</p>
<p class="meta" id="${id}-status">${t('label', { label: t('rsvp.currentStatus') })} ${statusBadge(s, t)}</p>
${overlapNote(s, input.view, input.language, t)}
${errorText(errors, key)}
${radio('yes', t('rsvp.yes'))}
${radio('no', t('rsvp.no'))}
</fieldset>`;
};

const textInput = (key: 'dietary' | 'accessibility', label: string, hint: string, input: RsvpPageInput) => {
  const errors = input.errors ?? {};
  return html`<label for="${key}">${label}</label>
<p class="hint" id="${key}-hint">${hint}</p>
${errorText(errors, key)}
<textarea id="${key}" name="${key}" maxlength="500" rows="3"${describedBy(errors, key, `${key}-hint`)}${invalid(errors, key)}>${input.values[key]}</textarea>`;
};

// Delegations: named companions
/** One companion row: name, role, badge language and, for a session that requires it, their accreditation. */
const companionRow = (row: CompanionRow, n: number, input: RsvpPageInput, t: T): SafeHtml => {
  const { view, language } = input;
  const errors = input.errors ?? {};
  const key = (field: keyof CompanionRow | 'accreditation') => COMPANION_FIELD(n, field);
  const id = (field: keyof CompanionRow | 'accreditation') => domId(key(field));
  const accredited = view.sessions.filter((s) => s.requiresAccreditation);
  const accreditation = accredited.length
    ? html`<div class="accreditation-part${errors[key('accreditation')] ? ' invalid' : ''}" data-sessions="${accredited.map((s) => s.id).join(' ')}">
<p class="hint" id="${id('accreditation')}-note">${t('companions.accreditationNote', { session: accredited.map((s) => s.name[language]).join(', ') })}${row.onFile ? ` ${t('companions.accreditationOnFile')}` : ''}</p>
${errorText(errors, key('accreditation'))}
<label for="${id('nationality')}">${t('rsvp.nationality')}</label>
${errorText(errors, key('nationality'))}
<select id="${id('nationality')}" name="${key('nationality')}" autocomplete="off"${describedBy(errors, key('nationality'), `${id('accreditation')}-note`)}${invalid(errors, key('nationality'))}>
<option value="">${t('rsvp.nationalityChoose')}</option>
${countryOptions(language, row.nationality)}
</select>
<label for="${id('idDocumentNumber')}">${t('rsvp.idDocumentNumber')}</label>
${errorText(errors, key('idDocumentNumber'))}
<input type="text" id="${id('idDocumentNumber')}" name="${key('idDocumentNumber')}" maxlength="40" autocomplete="off" spellcheck="false" value="${row.idDocumentNumber}"${describedBy(errors, key('idDocumentNumber'), `${id('accreditation')}-note`)}${invalid(errors, key('idDocumentNumber'))}>
</div>`
    : '';
  return html`<fieldset class="companion" id="companion-${n}">
<legend>${t('companions.person', { n })}</legend>
<input type="hidden" name="${key('id')}" value="${row.id}">
<label for="${id('name')}">${t('companions.name')}</label>
${errorText(errors, key('name'))}
<input type="text" id="${id('name')}" name="${key('name')}" maxlength="100" autocomplete="off" value="${row.name}"${describedBy(errors, key('name'))}${invalid(errors, key('name'))}>
<label for="${id('role')}">${t('companions.role')}</label>
${errorText(errors, key('role'))}
<select id="${id('role')}" name="${key('role')}"${describedBy(errors, key('role'))}${invalid(errors, key('role'))}>
<option value="">${t('companions.roleChoose')}</option>
${COMPANION_ROLES.map((role) => html`<option value="${role}"${attr('selected', row.role === role)}>${t(`companionRole.${role}`)}</option>`)}
</select>
<label for="${id('language')}">${t('companions.language')}</label>
${errorText(errors, key('language'))}
<select id="${id('language')}" name="${key('language')}"${describedBy(errors, key('language'))}${invalid(errors, key('language'))}>
${view.event.languages.map((l) => html`<option value="${l}" lang="${l}"${attr('selected', row.language === l)}>${inviteeText(l)('languageName')}</option>`)}
</select>
${accreditation}
<p><button type="button" class="secondary" data-remove="${n}" hidden>${t('companions.remove')}</button></p>
</fieldset>`;
};

/** The delegation: a row per place the invitation admits; the guests are the rows with a name. */
const companionsFieldset = (input: RsvpPageInput, t: T) => {
  const { view, values } = input;
  const errors = input.errors ?? {};
  const max = view.invitation.guestsAllowed;
  if (max === 0 && values.companions.length === 0) return '';
  const unnamed = view.invitation.guests - view.invitation.companions.length;
  return html`<fieldset id="companions"${errors.guests ? html` class="invalid"` : ''} aria-describedby="guests-hint companions-hint${errors.guests ? ` ${errorId('guests')}` : ''}">
<legend>${t('companions.heading')}</legend>
<p class="hint" id="guests-hint">${t('rsvp.guestsHint', { max })}</p>
<p class="hint" id="companions-hint">${t('companions.hint')}</p>
${unnamed > 0 ? html`<p class="notice" id="companions-unnamed">${t('companions.unnamed', { count: unnamed })}</p>` : ''}
${errorText(errors, 'guests')}
<input type="hidden" name="companions-present" value="1">
${values.companions.map((row, i) => companionRow(row, i + 1, input, t))}
<button type="button" class="secondary" id="companion-add" hidden>${t('companions.add')}</button>
</fieldset>`;
};

/** The event's own name for a topic the invitee chose. */
const topicName = (view: RsvpView, id: string, language: Language) => view.event.topics.find((t) => t.id === id)?.name[language] ?? id;

/** A session the organizers cancelled: said plainly, nothing to answer. */
const cancelledSession = (s: SessionView, view: RsvpView, language: Language, t: T) =>
  html`<div class="card notice" id="${domId(SESSION_FIELD(s.id))}"><strong>${s.name[language]}</strong><br><span class="meta">${sessionWhen(s, view, language)}</span><br>${t('rsvp.sessionCancelled')}</div>`;

const detailsFields = (input: RsvpPageInput, t: T) => {
  const { view, values, language } = input;
  const errors = input.errors ?? {};
  return html`<fieldset id="details">
<legend>${t('rsvp.detailsHeading')}</legend>
${textInput('dietary', t('rsvp.dietary'), t('rsvp.dietaryHint'), input)}
${textInput('accessibility', t('rsvp.accessibility'), t('rsvp.accessibilityHint'), input)}
<label for="badgeName">${t('rsvp.badgeName')}</label>
<p class="hint" id="badgeName-hint">${t('rsvp.badgeNameHint')}</p>
${errorText(errors, 'badgeName')}
<input type="text" id="badgeName" name="badgeName" maxlength="60" autocomplete="name" value="${values.badgeName}" placeholder="${view.invitation.name}"${describedBy(errors, 'badgeName', 'badgeName-hint')}${invalid(errors, 'badgeName')}>
</fieldset>
<fieldset id="topics" class="choice${errors.topics ? ' invalid' : ''}" aria-describedby="topics-hint${errors.topics ? ` ${errorId('topics')}` : ''}">
<legend>${t('rsvp.topics')}</legend>
<p class="hint" id="topics-hint">${t('rsvp.topicsHint')}</p>
${errorText(errors, 'topics')}
<input type="hidden" name="topics-present" value="1">
${view.event.topics.map(
  (topic) =>
    html`<label for="topic-${topic.id}"><input type="checkbox" id="topic-${topic.id}" name="topics" value="${topic.id}"${attr('checked', values.topics.includes(topic.id))}> ${topic.name[language]}</label>`,
)}
</fieldset>
${accreditationFields(input, t, language)}
${companionsFieldset(input, t)}`;
};

const accreditationFields = (input: RsvpPageInput, t: T, language: Language) => {
  const { view, values } = input;
  const errors = input.errors ?? {};
  const sessions = view.sessions.filter((s) => s.requiresAccreditation);
  if (!sessions.length) return '';
  const names = sessions.map((s) => s.name[language]).join(', ');
  return html`<fieldset id="accreditation" data-sessions="${sessions.map((s) => s.id).join(' ')}" ${errors.accreditation ? html` class="invalid"` : ''} aria-describedby="accreditation-note${errors.accreditation ? ` ${errorId('accreditation')}` : ''}">
<legend>${t('rsvp.accreditation')}</legend>
<p class="hint" id="accreditation-note">${t('rsvp.accreditationNote', { session: names })}${view.invitation.hasAccreditation ? ` ${t('rsvp.accreditationOnFile')}` : ''}</p>
${errorText(errors, 'accreditation')}
<label for="nationality">${t('rsvp.nationality')}</label>
${errorText(errors, 'nationality')}
<select id="nationality" name="nationality" autocomplete="country"${describedBy(errors, 'nationality')}${invalid(errors, 'nationality')}>
<option value="">${t('rsvp.nationalityChoose')}</option>
${countryOptions(language, values.nationality)}
</select>
<label for="idDocumentNumber">${t('rsvp.idDocumentNumber')}</label>
<p class="hint" id="idDocumentNumber-hint">${t('rsvp.idDocumentNumberHint')}</p>
${errorText(errors, 'idDocumentNumber')}
<input type="text" id="idDocumentNumber" name="idDocumentNumber" maxlength="40" autocomplete="off" spellcheck="false" value="${values.idDocumentNumber}"${describedBy(errors, 'idDocumentNumber', 'idDocumentNumber-hint')}${invalid(errors, 'idDocumentNumber')}>
</fieldset>`;
};

/** The invitation page: the event, each session with its local time and status, and the answer form. */
export const renderRsvpPage = (input: RsvpPageInput): RenderedPage => {
  const { view, language } = input;
  const t = inviteeText(language);
  const errors = input.errors ?? {};
  const event = view.event.name[language];
  const body = view.open
    ? html`<h1>${event}</h1>
<p>${t('rsvp.greeting', { name: view.invitation.name })}</p>
<p>${t('rsvp.intro')}</p>
<p><strong>${t('rsvp.respondBy', { deadline: deadlineText(view, language) })}</strong></p>
${eventHeader(view, language, t)}
${errorSummary(errors, view, t)}
<form method="post" action="${input.token}" novalidate>
<input type="hidden" name="csrf" value="${input.csrf ?? ''}">
${input.start ? html`<input type="hidden" name="start" value="${input.start}">` : ''}
<input type="hidden" name="lang" value="${language}">
<div id="sessions">
${errors.responses ? html`<p class="error-message" id="${errorId('responses')}">${errors.responses}</p>` : ''}
${errors.form ? html`<p class="error-message" id="${errorId('form')}">${errors.form}</p>` : ''}
${view.sessions.map((s) => (s.cancelled ? cancelledSession(s, view, language, t) : sessionFieldset(s, input, t)))}
</div>
${detailsFields(input, t)}
<button type="submit">${t('rsvp.submit')}</button>
</form>`
    : readOnlyBody(view, input.token, language, t);
  return renderLayout({
    language,
    title: t('rsvp.title', { event }),
    brand: event,
    body,
    switcher: view.event.languages,
    script: view.open ? RSVP_SCRIPT : undefined,
    footer: t('footer'),
  });
};

/** After the deadline: what the invitee answered, and nothing to submit. */
const readOnlyBody = (view: RsvpView, token: string, language: Language, t: T) => {
  const event = view.event.name[language];
  return html`<h1>${event}</h1>
<div class="notice closed" role="status"><p>${view.closedEarly ? t('rsvp.closedEarly') : t('rsvp.closed', { deadline: deadlineText(view, language) })}</p></div>
${eventHeader(view, language, t)}
<h2>${t('rsvp.yourAnswer')}</h2>
<ul class="plain">${view.sessions.map(
    (s) =>
      html`<li class="card"><strong>${s.name[language]}</strong><br><span class="meta">${sessionWhen(s, view, language)}</span><br>${s.cancelled ? t('rsvp.sessionCancelled') : statusBadge(s, t)}</li>`,
  )}</ul>
${profileSummary(view, t, language)}
${badgeLink(view, token, t)}`;
};

const profileSummary = (view: RsvpView, t: T, language: Language) => {
  const inv = view.invitation;
  const rows: Array<[string, string]> = [
    ...(inv.guestsAllowed > 0 ? [[t('rsvp.guests'), t('result.guestCount', { count: inv.guests })] as [string, string]] : []),
    ...(inv.companions.length
      ? [[t('result.companions'), inv.companions.map((c) => t('result.companion', { name: c.name, role: t(`companionRole.${c.role}`) })).join('; ')] as [string, string]]
      : []),
    [t('rsvp.dietary'), inv.dietary || t('rsvp.none')],
    [t('rsvp.accessibility'), inv.accessibility || t('rsvp.none')],
    [t('rsvp.badgeName'), inv.badgeName || inv.name],
    [t('rsvp.topics'), inv.topics.map((topic) => topicName(view, topic, language)).join(', ') || t('rsvp.none')],
    // That the accreditation arrived, never what it says.
    ...(inv.hasAccreditation && view.sessions.some((s) => s.requiresAccreditation) ? [[t('rsvp.accreditation'), t('result.accreditationReceived')] as [string, string]] : []),
  ];
  return html`<dl class="summary card">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
};

/** The badge exists once a seat is confirmed in some session. Relative, so it works under any base path. */
const badgeLink = (view: RsvpView, token: string, t: T) =>
  view.sessions.some((s) => s.status === 'confirmed')
    ? html`<p><a class="button" href="${token}/badge">${t('result.badge')}</a></p>${view.invitation.companions.map(
        (c) => html`<p><a class="button secondary" href="${token}/badge?holder=${c.id}" data-holder="${c.id}">${t('result.companionBadge', { name: c.name })}</a></p>`,
      )}<p class="hint">${t('result.badgeHint')}</p>`
    : '';

export interface ResultPageInput {
  view: RsvpView;
  token: string;
  language: Language;
  /** True when the answer changed a session's status, which is what sends an email. */
  changed: boolean;
}

/**
 * After an answer (the GET its POST redirects to): what is confirmed, what is waitlisted (with
 * position), what was recorded with it, what comes next; the switcher keeps the result.
 */
export const renderResultPage = ({ view, token, language, changed }: ResultPageInput): RenderedPage => {
  const t = inviteeText(language);
  const event = view.event.name[language];
  const groups = (['confirmed', 'waitlisted', 'declined', 'pending'] as const)
    .map((status) => ({ status, sessions: view.sessions.filter((s) => s.status === status && !s.cancelled) }))
    .filter((g) => g.sessions.length);
  const body = html`<h1>${t('result.heading')}</h1>
<div class="notice" role="status"><p>${changed ? t('result.emailOnItsWay') : t('result.nothingChanged')}</p></div>
${groups.map(
  (g) => html`<section class="card" aria-labelledby="result-${g.status}">
<h2 id="result-${g.status}">${t(`result.${g.status}`)}</h2>
<ul>${g.sessions.map(
    (s) =>
      html`<li><strong>${s.name[language]}</strong> — <span class="meta">${sessionWhen(s, view, language)}</span>${
        s.status === 'waitlisted' && s.waitlistPosition ? html`<br><span class="status status-waitlisted">${t('waitlistPosition', { position: s.waitlistPosition })}</span>` : ''
      }${overlapNote(s, view, language, t)}</li>`,
  )}</ul>
</section>`,
)}
<h2>${t('result.recorded')}</h2>
${profileSummary(view, t, language)}
${badgeLink(view, token, t)}
<p>${t('result.changeUntil', { deadline: deadlineText(view, language) })}</p>
<p><a class="button secondary" href="${token}?lang=${language}">${t('result.changeAnswer')}</a></p>`;
  return renderLayout({
    language,
    title: t('result.title', { event }),
    brand: event,
    body,
    footer: t('footer'),
    switcher: view.event.languages,
    switcherHref: (l) => `?lang=${l}&result=${changed ? 'sent' : 'same'}`,
  });
};
