import type { FieldIssue } from '#domain/errors.js';
import type { Language } from '#domain/model.js';
import type { RsvpView } from '#domain/rsvp.js';
import { inviteeText } from '#i18n/invitee/index.js';

/** What the form shows in each field: the stored answer at first, what was typed after a refusal. */
export interface RsvpFormValues {
  /** Per session id: the radio chosen. */
  answers: Record<string, 'yes' | 'no' | undefined>;
  guests: string;
  dietary: string;
  accessibility: string;
  badgeName: string;
  topics: string[];
  nationality: string;
  idDocumentNumber: string;
  /** One row per place the invitation admits (`guestsAllowed`), named or empty. */
  companions: CompanionRow[];
}

// Delegations: named companions
/** A companion row of the form, as shown or as typed. `id` is the holder id of a companion already on the invitation. */
export interface CompanionRow {
  id: string;
  name: string;
  role: string;
  language: string;
  nationality: string;
  idDocumentNumber: string;
  /** Their accreditation is on file (only ever from the stored answer). */
  onFile?: boolean;
}

/** Form keys of a companion row's fields, 1-based as the page numbers them: `companion.2.name`. */
export const COMPANION_FIELD = (row: number, field: keyof CompanionRow | 'accreditation') => `companion.${row}.${field}`;

const emptyRow = (language: string): CompanionRow => ({ id: '', name: '', role: '', language, nationality: '', idDocumentNumber: '' });

/** The stored companions, then empty rows up to the invitation's limit. */
const companionRows = (view: RsvpView): CompanionRow[] =>
  Array.from({ length: Math.max(view.invitation.guestsAllowed, view.invitation.companions.length) }, (_, i) => {
    const c = view.invitation.companions[i];
    return c ? { ...emptyRow(c.language), id: c.id, name: c.name, role: c.role, onFile: c.hasAccreditation } : emptyRow(view.invitation.language);
  });

/** A row the invitee left alone: no name, no role, no accreditation typed (its language has a default). */
const isEmptyRow = (r: CompanionRow) => !r.name.trim() && !r.role && !r.nationality.trim() && !r.idDocumentNumber.trim();

/**
 * Form field keys errors attach to: `session.<id>`, `guests`, `dietary`, `accessibility`,
 * `badgeName`, `topics`, `accreditation`, `nationality`, `idDocumentNumber`, `responses`;
 * `form` for a refusal that belongs to no one field.
 */
export type FormErrors = Record<string, string>;

export const SESSION_FIELD = (sessionId: string) => `session.${sessionId}`;

/** The form as first shown: the invitee's stored answers. Accreditation is never echoed back. */
export const valuesFromView = (view: RsvpView): RsvpFormValues => ({
  answers: Object.fromEntries(view.sessions.map((s) => [s.id, s.status === 'confirmed' || s.status === 'waitlisted' ? 'yes' : s.status === 'declined' ? 'no' : undefined])),
  guests: String(view.invitation.guests),
  dietary: view.invitation.dietary ?? '',
  accessibility: view.invitation.accessibility ?? '',
  badgeName: view.invitation.badgeName ?? '',
  topics: [...view.invitation.topics],
  nationality: '',
  idDocumentNumber: '',
  companions: companionRows(view),
});

export interface SubmittedForm {
  values: RsvpFormValues;
  /** The JSON-API shaped request, still unvalidated: `parseRsvpRequest` judges it like any other. */
  request: Record<string, unknown>;
  /** Session id of each entry in `request.responses`, to put `responses.<i>` errors back on their session. */
  responseSessionIds: string[];
  /** The form row (1-based) of each entry in `request.companions`, to put `companions.<i>` errors back on their row. */
  companionRows?: number[];
}

/**
 * Reads a posted RSVP form into the same request the JSON API takes, so one schema and one service
 * judge both. Only sessions the invitee answered are sent (an unanswered session keeps its status);
 * the accreditation is sent only when a session that needs it is answered "yes", so a hidden,
 * half-filled fieldset cannot fail an answer that does not need it.
 */
export const readRsvpForm = (form: URLSearchParams, view: RsvpView): SubmittedForm => {
  const text = (name: string) => form.get(name) ?? '';
  const answers: RsvpFormValues['answers'] = {};
  const responses: Array<{ sessionId: string; attending: boolean }> = [];
  for (const s of view.sessions) {
    const value = form.get(`session.${s.id}`);
    if (value !== 'yes' && value !== 'no') continue;
    answers[s.id] = value;
    responses.push({ sessionId: s.id, attending: value === 'yes' });
  }
  const values: RsvpFormValues = {
    answers,
    guests: text('guests'),
    dietary: text('dietary'),
    accessibility: text('accessibility'),
    badgeName: text('badgeName'),
    topics: form.getAll('topics'),
    nationality: text('nationality'),
    idDocumentNumber: text('idDocumentNumber'),
    companions: [],
  };
  const request: Record<string, unknown> = { responses };
  if (form.has('guests')) request.guests = /^\d{1,2}$/.test(values.guests) ? Number(values.guests) : values.guests;
  for (const field of ['dietary', 'accessibility', 'badgeName'] as const) if (form.has(field)) request[field] = values[field];
  if (form.has('topics-present')) request.topics = values.topics;
  // The language the page was read in becomes the invitation's: later emails follow it.
  const language = form.get('lang');
  if (language) request.language = language;
  const needsAccreditation = view.sessions.some((s) => s.requiresAccreditation && answers[s.id] === 'yes');
  if (needsAccreditation && (values.nationality.trim() || values.idDocumentNumber.trim()))
    request.accreditation = { nationality: values.nationality, idDocumentNumber: values.idDocumentNumber };
  // The delegation: every row with something typed in it, in order; an empty row is no one. The
  // rows replace the delegation, so the guests are who is named (a removed row revokes that badge).
  const rows: number[] = [];
  if (form.has('companions-present')) {
    const stored = new Map(view.invitation.companions.map((c) => [c.id, c]));
    const companions: Array<Record<string, unknown>> = [];
    // A few rows past the limit are read too, so a form with too many is refused, not cut short.
    for (let row = 1; row <= Math.max(view.invitation.guestsAllowed, view.invitation.companions.length) + 5; row++) {
      if (![...form.keys()].some((k) => k.startsWith(`companion.${row}.`))) continue;
      const field = (name: keyof CompanionRow) => form.get(COMPANION_FIELD(row, name)) ?? '';
      const typed: CompanionRow = {
        id: field('id'),
        name: field('name'),
        role: field('role'),
        language: field('language'),
        nationality: field('nationality'),
        idDocumentNumber: field('idDocumentNumber'),
        onFile: stored.get(field('id'))?.hasAccreditation,
      };
      values.companions.push(typed);
      if (isEmptyRow(typed)) continue;
      rows.push(values.companions.length);
      const companion: Record<string, unknown> = { name: typed.name, role: typed.role, language: typed.language };
      if (typed.id) companion.id = typed.id;
      if (needsAccreditation && (typed.nationality.trim() || typed.idDocumentNumber.trim()))
        companion.accreditation = { nationality: typed.nationality, idDocumentNumber: typed.idDocumentNumber };
      companions.push(companion);
    }
    request.companions = companions;
    delete request.guests;
  }
  const limit = Math.max(view.invitation.guestsAllowed, view.invitation.companions.length);
  if (!form.has('companions-present')) values.companions = companionRows(view);
  else while (values.companions.length < limit) values.companions.push(emptyRow(view.invitation.language));
  return { values, request, responseSessionIds: responses.map((r) => r.sessionId), ...(form.has('companions-present') ? { companionRows: rows } : {}) };
};

/**
 * Puts each refused field next to its input, in the reader's language. The domain's own message
 * is for the log and the API; the page says what to do about it.
 */
export const formErrorsFor = (issues: FieldIssue[], submitted: Pick<SubmittedForm, 'responseSessionIds' | 'companionRows'>, view: RsvpView, language: Language): FormErrors => {
  const t = inviteeText(language);
  const accreditationSession = view.sessions.find((s) => s.requiresAccreditation)?.name[language] ?? '';
  const errors: FormErrors = {};
  const put = (key: string, message: string) => (errors[key] ??= message);
  for (const { field } of issues) {
    const session = /^responses\.(\d+)(\.|$)/.exec(field);
    if (session) {
      const id = submitted.responseSessionIds[Number(session[1])];
      put(id ? SESSION_FIELD(id) : 'responses', t('fieldErrors.session'));
    } else if (field === 'responses') put('responses', t('fieldErrors.responses'));
    else if (field === 'guests') put('guests', t('fieldErrors.guests', { max: view.invitation.guestsAllowed }));
    else if (field === 'companions')
      put('guests', t(submitted.companionRows ? 'fieldErrors.companions' : 'fieldErrors.unnamedGuests', { max: view.invitation.guestsAllowed, session: accreditationSession }));
    else if (field.startsWith('companions.')) {
      const [, index, part] = field.split('.') as [string, string, string | undefined];
      const row = submitted.companionRows?.[Number(index)] ?? Number(index) + 1;
      if (part === 'name') put(COMPANION_FIELD(row, 'name'), t('fieldErrors.companionName'));
      else if (part === 'role') put(COMPANION_FIELD(row, 'role'), t('fieldErrors.companionRole'));
      else if (part === 'language') put(COMPANION_FIELD(row, 'language'), t('fieldErrors.companionLanguage'));
      else if (part === 'id') put(COMPANION_FIELD(row, 'name'), t('fieldErrors.companionId'));
      else if (part === 'accreditation') {
        const detail = field.split('.')[3];
        if (detail === 'nationality') put(COMPANION_FIELD(row, 'nationality'), t('fieldErrors.nationality'));
        else if (detail === 'idDocumentNumber') put(COMPANION_FIELD(row, 'idDocumentNumber'), t('fieldErrors.idDocumentNumber'));
        else put(COMPANION_FIELD(row, 'accreditation'), t('fieldErrors.accreditation', { session: accreditationSession }));
      } else put('guests', t('fieldErrors.companions', { max: view.invitation.guestsAllowed }));
    } else if (field === 'dietary' || field === 'accessibility' || field === 'badgeName') put(field, t(`fieldErrors.${field}`));
    else if (field.startsWith('topics')) put('topics', t('fieldErrors.topics'));
    else if (field === 'accreditation') put('accreditation', t('fieldErrors.accreditation', { session: accreditationSession }));
    else if (field === 'accreditation.nationality') put('nationality', t('fieldErrors.nationality'));
    else if (field === 'accreditation.idDocumentNumber') put('idDocumentNumber', t('fieldErrors.idDocumentNumber'));
    else put('form', t('errors.validation_failed'));
  }
  return errors;
};

/** NotEnoughSeatsError names its sessions; the page names them in the reader's language. */
export const notEnoughSeatsError = (sessionIds: string[], view: RsvpView, language: Language): FormErrors => {
  const names = view.sessions.filter((s) => sessionIds.includes(s.id)).map((s) => s.name[language]);
  return { guests: inviteeText(language)('fieldErrors.notEnoughSeats', { sessions: names.join(', ') || sessionIds.join(', ') }) };
};
