/**
 * Organizers' changes to one invitation, from its detail dialog: edit, replace the invitee with a
 * deputy, answer on the invitee's behalf (the RSVP form's own fields, posted as the invitee's page
 * posts them), revoke. Each form says what it will do before it is sent (seats an edit releases),
 * and puts the API's refusals beside the fields they name.
 */
import type { Language } from '#domain/model.js';
import type { AnswerFormView, InvitationChangeResponse, InvitationDetail } from '#domain/organizer-api.js';
import { ApiError, type OrganizerApi } from './api.js';
import { byId, clear, el, type Child } from './dom.js';
import { failure } from './invitations.js';
import { countryName, eventOutline, inPageOrder, LANGUAGE, languageName, listOf, sessionName, t } from './messages.js';
import { COUNTRY_CODE_LIST } from '#domain/country-codes.js';
import { fieldRule } from './refusals.js';

/**
 * The domain's fixed lists, typed complete against its types but not imported from
 * `#domain/model.js`, whose zod schemas would come along into the browser bundle. Categories and
 * topics are the event's own (from its outline).
 */
const keysOf = <K extends string>(all: Record<K, true>) => Object.keys(all) as K[];
const LANGUAGES = keysOf<Language>({ es: true, en: true, fr: true });

interface Detail {
  current(): InvitationDetail | undefined;
  reload(): Promise<void>;
  onShow(listener: (inv: InvitationDetail | undefined) => void): void;
}

/** A form's text value, trimmed; a file or a missing field reads as empty. */
const textOf = (data: FormData, name: string) => {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

const field = (id: string, label: string, input: HTMLElement, hint?: string) =>
  el('div', { class: 'field', 'data-field': input.getAttribute('name') ?? id }, el('label', { for: id }, label), hint ? el('p', { class: 'hint' }, hint) : null, input);

const textInput = (id: string, name: string, value = '', type = 'text') => el('input', { type, id, name, value, autocomplete: 'off' });

const select = (id: string, name: string, options: Array<[string, string]>, value: string) => {
  const node = el(
    'select',
    { id, name },
    options.map(([v, label]) => el('option', { value: v }, label)),
  );
  node.value = value;
  return node;
};

/** Shows each refused field beside its input (`details[].field`, dotted), the rest at the top of the form. */
const showRefusal = (form: HTMLElement, err: unknown, labels: Record<string, string>) => {
  for (const old of form.querySelectorAll('.field-error, .form-error')) old.remove();
  for (const bad of form.querySelectorAll('[aria-invalid]')) bad.removeAttribute('aria-invalid');
  const details = err instanceof ApiError ? (err.body.details ?? []) : [];
  const general: string[] = [];
  for (const d of details) {
    const name = d.field.split('.')[0];
    const box = form.querySelector<HTMLElement>(`[data-field="${CSS.escape(d.field)}"], [data-field="${CSS.escape(name)}"]`);
    const message = t('fieldProblem', { field: labels[d.field] ?? labels[name] ?? t('auditField.other'), message: fieldRule(d.field) });
    if (box) {
      box.appendChild(el('p', { class: 'field-error error-message', role: 'alert' }, message));
      box.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
    } else general.push(message);
  }
  if (!details.length) general.push(failure(err));
  if (general.length)
    form.prepend(
      el(
        'div',
        { class: 'form-error error-message', role: 'alert' },
        general.map((g) => el('p', {}, g)),
      ),
    );
};

/** Seats an edit would give up: sessions removed that the invitee holds, and parties a lower guest limit shrinks. */
const releasedBy = (inv: InvitationDetail, sessions: string[], guestsAllowed: number) => {
  const held = (id: string) => ['confirmed', 'waitlisted'].includes(inv.responses[id]?.status ?? '');
  const removed = inv.sessions.filter((id) => !sessions.includes(id) && held(id));
  const shrunk = guestsAllowed < inv.guests ? inv.sessions.filter((id) => sessions.includes(id) && held(id)) : [];
  return [...removed, ...shrunk];
};

const actions = (submitLabel: string, id: string) =>
  el('p', {}, el('button', { type: 'submit', id }, submitLabel), ' ', el('button', { type: 'button', class: 'secondary', 'data-cancel': '' }, t('cancel')));

/** Every country by its name in the page's language, in its alphabetical order. */
const countryChoices = (): Array<[string, string]> =>
  inPageOrder(
    COUNTRY_CODE_LIST.map((code): [string, string] => [code, countryName(code)]),
    ([, name]) => name,
  );

const languageSelect = (id: string, value: string) =>
  select(
    id,
    'language',
    LANGUAGES.map((l) => [l, languageName(l)]),
    value,
  );

const changed = (r: InvitationChangeResponse) =>
  r.released.length ? `${t('savedChange')} ${t('releasedLine', { released: r.released.length, promoted: r.promoted })}` : t('savedChange');

/** Where the detail dialog shows one form at a time, and how a form's change is sent. */
interface FormHost {
  open(heading: string, form: HTMLFormElement): void;
  /** Sends a change; a stale version reloads the invitation and says so; success reloads the views. */
  submit(form: HTMLFormElement, labels: Record<string, string>, send: () => Promise<string>): void;
  say(text: string): void;
}

const formHost = (detail: Detail, onChanged: () => void) => {
  const box = byId('detail-form');
  const status = byId('detail-status');
  const close = () => {
    clear(box).hidden = true;
  };
  const say = (text: string) => {
    status.textContent = text;
  };
  const open = (heading: string, form: HTMLFormElement) => {
    say('');
    clear(box).append(el('h3', {}, heading), form);
    box.hidden = false;
    form.querySelector<HTMLElement>('input, select, textarea, button')?.focus();
  };
  const submit = (form: HTMLFormElement, labels: Record<string, string>, send: () => Promise<string>) => {
    form.addEventListener('click', (e) => {
      if ((e.target as Element).closest('[data-cancel]')) close();
    });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const button = form.querySelector<HTMLButtonElement>('button[type=submit]')!;
      button.disabled = true;
      send().then(
        async (done) => {
          await detail.reload();
          say(done);
          onChanged();
        },
        async (err: unknown) => {
          button.disabled = false;
          if (err instanceof ApiError && err.body.error === 'stale_version') {
            await detail.reload();
            say(t('staleVersion'));
            return;
          }
          showRefusal(form, err, labels);
        },
      );
    });
  };
  return { close, open, submit, say };
};

/* Edit: the invitee's details, sessions and guest limit, with the seats the change would release. */

const editForm = (inv: InvitationDetail, sessions: string[], warning: HTMLElement) =>
  el(
    'form',
    { id: 'edit-form', novalidate: true },
    field('edit-name', t('colName'), textInput('edit-name', 'name', inv.name)),
    field('edit-title', t('colTitle'), textInput('edit-title', 'title', inv.title)),
    field('edit-organization', t('colOrganization'), textInput('edit-organization', 'organization', inv.organization)),
    field('edit-country', t('colCountry'), select('edit-country', 'country', countryChoices(), inv.country)),
    field(
      'edit-category',
      t('colCategory'),
      select(
        'edit-category',
        'category',
        (eventOutline()?.categories ?? []).map((c) => [c.id, c.name[LANGUAGE]]),
        inv.category,
      ),
    ),
    field('edit-language', t('colLanguage'), languageSelect('edit-language', inv.language)),
    el(
      'fieldset',
      { 'data-field': 'sessions' },
      el('legend', {}, t('sessionsInvited')),
      sessions.map((id) =>
        el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'sessions', value: id, checked: inv.sessions.includes(id) }), ' ', sessionName(id)),
      ),
    ),
    field(
      'edit-guests',
      t('guestsAllowed'),
      select(
        'edit-guests',
        'guestsAllowed',
        [0, 1, 2].map((n) => [String(n), String(n)]),
        String(inv.guestsAllowed),
      ),
    ),
    warning,
    actions(t('save'), 'edit-save'),
  );

const readEditForm = (form: HTMLFormElement) => {
  const data = new FormData(form);
  const text = (k: string) => textOf(data, k);
  return {
    name: text('name'),
    title: text('title'),
    organization: text('organization'),
    country: text('country').toUpperCase(),
    category: text('category'),
    language: text('language'),
    sessions: data.getAll('sessions').map(String),
    guestsAllowed: Number(text('guestsAllowed')),
  };
};

/** Only what changed, on the version shown: a change made meanwhile is a 409, not overwritten. */
const editChanges = (inv: InvitationDetail, sessions: string[], v: ReturnType<typeof readEditForm>) => {
  const body: Record<string, unknown> = { version: inv.version };
  if (v.name !== inv.name) body.name = v.name;
  if (v.title !== (inv.title ?? '')) body.title = v.title;
  if (v.organization !== (inv.organization ?? '')) body.organization = v.organization;
  if (v.country !== inv.country) body.country = v.country;
  if (v.category !== inv.category) body.category = v.category;
  if (v.language !== inv.language) body.language = v.language;
  if (JSON.stringify(v.sessions) !== JSON.stringify(sessions.filter((id) => inv.sessions.includes(id)))) body.sessions = v.sessions;
  if (v.guestsAllowed !== inv.guestsAllowed) body.guestsAllowed = v.guestsAllowed;
  return body;
};

const editLabels = () => ({
  name: t('colName'),
  title: t('colTitle'),
  organization: t('colOrganization'),
  country: t('colCountry'),
  category: t('colCategory'),
  language: t('colLanguage'),
  sessions: t('sessionsInvited'),
  guestsAllowed: t('guestsAllowed'),
});

const openEdit = (host: FormHost, api: OrganizerApi, inv: InvitationDetail) => {
  const sessions = eventOutline()?.sessions.map((s) => s.id) ?? inv.sessions;
  const warning = el('p', { class: 'notice', id: 'edit-release', 'aria-live': 'polite', hidden: true });
  const form = editForm(inv, sessions, warning);
  const warn = () => {
    const v = readEditForm(form);
    const released = releasedBy(inv, v.sessions, v.guestsAllowed);
    warning.hidden = released.length === 0;
    warning.textContent = released.length ? t('releaseWarning', { count: released.length, sessions: listOf(released.map(sessionName)) }) : '';
  };
  form.addEventListener('change', warn);
  host.submit(form, editLabels(), async () => changed(await api.editInvitation(inv.id, editChanges(inv, sessions, readEditForm(form)))));
  host.open(t('editHeading'), form);
};

/* Replace: a deputy takes the invitation's place. */

const openReplace = (host: FormHost, api: OrganizerApi, inv: InvitationDetail) => {
  const form = el(
    'form',
    { id: 'replace-form', novalidate: true },
    el('p', { class: 'hint' }, t('replaceHint')),
    field('replace-email', t('colEmail'), textInput('replace-email', 'email', '', 'email')),
    field('replace-name', t('colName'), textInput('replace-name', 'name')),
    field('replace-title', t('colTitle'), textInput('replace-title', 'title')),
    field('replace-organization', t('colOrganization'), textInput('replace-organization', 'organization', inv.organization)),
    field('replace-language', t('colLanguage'), languageSelect('replace-language', inv.language)),
    actions(t('replace'), 'replace-save'),
  );
  host.submit(form, { email: t('colEmail'), name: t('colName'), title: t('colTitle'), organization: t('colOrganization'), language: t('colLanguage') }, async () => {
    const data = new FormData(form);
    const text = (k: string) => textOf(data, k);
    const body: Record<string, unknown> = { version: inv.version, email: text('email'), name: text('name'), language: text('language'), organization: text('organization') };
    if (text('title')) body.title = text('title');
    const done = await api.replaceInvitee(inv.id, body);
    return t('replacedDone', { email: done.invitation.email ?? text('email') });
  });
  host.open(t('replaceHeading'), form);
};

/* Revoke, with an optional reason. */

const openRevoke = (host: FormHost, api: OrganizerApi, inv: InvitationDetail) => {
  const form = el(
    'form',
    { id: 'revoke-form', novalidate: true },
    el('p', {}, t('revokeHint')),
    field('revoke-reason', t('revokeReason'), el('textarea', { id: 'revoke-reason', name: 'reason', rows: 2, maxlength: 300 })),
    actions(t('revoke'), 'revoke-confirm'),
  );
  host.submit(form, { reason: t('revokeReason') }, async () => {
    const reason = textOf(new FormData(form), 'reason');
    await api.revokeInvitation(inv.id, { version: inv.version, ...(reason ? { reason } : {}) });
    return t('revokedDone');
  });
  host.open(t('revokeHeading'), form);
};

/* Answer on the invitee's behalf. */

const sessionAnswer = (s: AnswerFormView['sessions'][number]) => {
  const radio = (value: 'yes' | 'no', label: string, checked: boolean) =>
    el('label', { class: 'check' }, el('input', { type: 'radio', name: `session.${s.id}`, value, checked }), ' ', label);
  return el(
    'fieldset',
    { 'data-field': `session.${s.id}` },
    el('legend', {}, sessionName(s.id)),
    radio('yes', t('attends'), s.status === 'confirmed' || s.status === 'waitlisted'),
    ' ',
    radio('no', t('doesNotAttend'), s.status === 'declined'),
  );
};

const textarea = (id: string, name: string, value = '') => {
  const node = el('textarea', { id, name, rows: 2, maxlength: 500 });
  node.value = value;
  return node;
};

const topicChoices = (chosen: string[]) =>
  el(
    'fieldset',
    { 'data-field': 'topics' },
    el('legend', {}, t('colTopics')),
    el('input', { type: 'hidden', name: 'topics-present', value: '1' }),
    (eventOutline()?.topics ?? []).map((x) =>
      el('label', { class: 'check' }, el('input', { type: 'checkbox', name: 'topics', value: x.id, checked: chosen.includes(x.id) }), ' ', x.name[LANGUAGE]),
    ),
  );

/** Nationality and identity document, asked only when a session needs them and none are on file. */
const accreditationFields = (view: AnswerFormView) => {
  const accredited = view.sessions.find((s) => s.requiresAccreditation);
  return accredited && !view.invitation.hasAccreditation
    ? el(
        'fieldset',
        { 'data-field': 'accreditation' },
        el('legend', {}, t('colAccreditation')),
        el('p', { class: 'hint' }, t('accreditationNeeded', { session: sessionName(accredited.id) })),
        field('answer-nationality', t('nationality'), select('answer-nationality', 'nationality', [['', t('chooseCountry')], ...countryChoices()], '')),
        field('answer-id', t('idDocument'), textInput('answer-id', 'idDocumentNumber')),
      )
    : null;
};

/** The RSVP form's fields (`session.<id>`, `guests`, `dietary`, …): the API reads them with the invitee page's own reader. */
const answerFormFields = (view: AnswerFormView): Child[] => [
  el('p', { class: 'hint' }, t('answerHint')),
  view.open ? null : el('p', { class: 'notice' }, t('answerDeadlinePassed')),
  view.sessions.map(sessionAnswer),
  field(
    'answer-guests',
    t('colGuests'),
    select(
      'answer-guests',
      'guests',
      Array.from({ length: view.invitation.guestsAllowed + 1 }, (_, n) => [String(n), String(n)]),
      String(view.invitation.guests),
    ),
  ),
  field('answer-dietary', t('colDietary'), textarea('answer-dietary', 'dietary', view.invitation.dietary)),
  field('answer-accessibility', t('colAccessibility'), textarea('answer-accessibility', 'accessibility', view.invitation.accessibility)),
  field('answer-badge-name', t('colBadgeName'), textInput('answer-badge-name', 'badgeName', view.invitation.badgeName)),
  topicChoices(view.invitation.topics),
  accreditationFields(view),
  actions(t('save'), 'answer-save'),
];

const answerLabels = (): Record<string, string> => ({
  guests: t('colGuests'),
  dietary: t('colDietary'),
  accessibility: t('colAccessibility'),
  badgeName: t('colBadgeName'),
  topics: t('colTopics'),
  accreditation: t('colAccreditation'),
  nationality: t('nationality'),
  idDocumentNumber: t('idDocument'),
  responses: t('sessionsInvited'),
});

const answerForm = (host: FormHost, api: OrganizerApi, view: AnswerFormView) => {
  const form = el('form', { id: 'answer-form', novalidate: true }, answerFormFields(view));
  host.submit(form, answerLabels(), async () => {
    const data = new URLSearchParams();
    for (const [k, v] of new FormData(form).entries()) if (typeof v === 'string') data.append(k, v);
    await api.answerFor(view.invitation.id, data);
    return t('answeredDone');
  });
  return form;
};

const openAnswer = (host: FormHost, api: OrganizerApi, inv: InvitationDetail) => {
  api.answerForm(inv.id).then(
    (view) => host.open(t('answerHeading', { name: inv.name }), answerForm(host, api, view)),
    (err: unknown) => host.say(failure(err)),
  );
};

export const invitationEditor = (api: OrganizerApi, detail: Detail, onChanged: () => void) => {
  const host = formHost(detail, onChanged);
  const buttons = ['detail-edit', 'detail-replace', 'detail-answer', 'detail-revoke'].map((id) => byId<HTMLButtonElement>(id));
  // A revoked invitation takes no more changes; any invitation shown anew closes an open form.
  detail.onShow((inv) => {
    host.close();
    for (const b of buttons) b.disabled = !inv || inv.status === 'revoked';
  });
  const onClick = (id: string, act: (host: FormHost, api: OrganizerApi, inv: InvitationDetail) => void) =>
    byId(id).addEventListener('click', () => {
      const inv = detail.current();
      if (inv) act(host, api, inv);
    });
  onClick('detail-edit', openEdit);
  onClick('detail-replace', openReplace);
  onClick('detail-revoke', openRevoke);
  onClick('detail-answer', openAnswer);
};
