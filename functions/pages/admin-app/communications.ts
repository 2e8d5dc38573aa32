import type { Language } from '#domain/model.js';
import type { MessagePreview, MessageSummary } from '#domain/organizer-api.js';
import { ApiError, type OrganizerApi } from './api.js';
import { byId, clear, el, labelCells, setError } from './dom.js';
import { reason } from './invitations.js';
import { eventOutline, LANGUAGE, languageName, LOCALE, t } from './messages.js';
import { fieldRule, messageFieldName } from './refusals.js';

const FILTERS = ['sessionId', 'status', 'category', 'country', 'language'] as const;
/** The shell's language fieldsets (written out: importing them from the domain model would bundle zod into the page). */
const LANGUAGES: readonly Language[] = ['es', 'en', 'fr'];

/** A v4 UUID; `crypto.randomUUID` exists only in secure contexts, which a local run over plain HTTP is not. */
const newRequestId = () => {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

/** A refusal with each field by its label and what it must hold ("Español: Asunto: Obligatorio…"), or the general reason. */
const explain = (err: unknown) =>
  err instanceof ApiError && err.body.details?.length
    ? err.body.details.map((d) => t('fieldProblem', { field: messageFieldName(d.field), message: fieldRule(d.field) })).join(' · ')
    : t('failed', { message: reason(err) });

/** The draft as the API takes it: the filters set, the languages written, and the draft's request id. */
const readDraft = (form: HTMLFormElement, requestId: string) => {
  const data = new FormData(form);
  const field = (name: string) => {
    const value = data.get(name);
    return typeof value === 'string' ? value : '';
  };
  const filter: Record<string, string> = {};
  for (const name of FILTERS) {
    const value = field(name).trim();
    if (value) filter[name] = value;
  }
  const content: Partial<Record<Language, { subject: string; body: string }>> = {};
  for (const l of LANGUAGES) {
    const subject = field(`subject-${l}`);
    const text = field(`body-${l}`);
    if (subject.trim() || text.trim()) content[l] = { subject, body: text };
  }
  return { content, filter, requestId };
};

/** How many recipients, who is left out, and each language's rendering (saying when it falls back to another language's text). */
const showPreview = (result: HTMLElement, p: MessagePreview) => {
  clear(result).append(
    el('p', {}, el('strong', {}, t('messageCount', { count: p.total }))),
    el('p', { class: 'meta' }, t('messageExcluded', p.excluded)),
    ...p.languages.map((l) =>
      el(
        'div',
        { class: 'card', 'data-language': l.language },
        el(
          'h4',
          {},
          t('messageVersion', { language: languageName(l.language), count: l.recipients, version: languageName(l.contentLanguage) }),
          l.contentLanguage === l.language ? null : [' ', el('span', { class: 'meta' }, t('messageFallback'))],
        ),
        el('p', {}, el('strong', {}, l.subject)),
        el('pre', { lang: l.contentLanguage }, l.text),
      ),
    ),
  );
};

const messageRow = (m: MessageSummary) =>
  el(
    'tr',
    { 'data-id': m.id },
    el('td', {}, new Date(m.createdAt).toLocaleString(LOCALE), el('br'), el('span', { class: 'meta' }, m.createdBy)),
    el('td', {}, m.subjects[LANGUAGE] ?? Object.values(m.subjects)[0] ?? ''),
    el('td', { class: 'num' }, String(m.recipients)),
    el('td', { 'data-counts': JSON.stringify(m.counts) }, t('messageCounts', m.counts)),
  );

/** The messages sent, in the API's order; a failure shows in the section's error line. */
const loadMessages = async (api: OrganizerApi, error: HTMLElement) => {
  try {
    const { items } = await api.messages();
    const rows = clear(byId('messages-rows'));
    if (items.length === 0) rows.append(el('tr', {}, el('td', { colspan: 4 }, t('noMessages'))));
    else rows.append(...items.map(messageRow));
    labelCells(rows.closest('table')!);
  } catch (err) {
    setError(error, explain(err));
  }
};

/** The session filter names sessions from the event definition, once the capacity route brought it. */
const fillSessions = () => {
  const select = byId<HTMLSelectElement>('msg-session');
  if (select.options.length > 1) return;
  for (const s of eventOutline()?.sessions ?? []) select.append(el('option', { value: s.id }, s.name[LANGUAGE]));
};

/** "What is due now": queues the reminders and day-before messages due, and says how many. */
const wireReminders = (api: OrganizerApi) => {
  byId('reminders-run').addEventListener('click', () => {
    const status = byId('reminders-status');
    status.textContent = '';
    api.runReminders().then(
      (run) => {
        const queued = run.events.reduce((sum, e) => ({ reminders: sum.reminders + e.queued.reminder, dayBefore: sum.dayBefore + e.queued['day-before'] }), {
          reminders: 0,
          dayBefore: 0,
        });
        status.textContent = t('remindersQueued', queued);
      },
      (err: unknown) => {
        status.textContent = explain(err);
      },
    );
  });
};

/**
 * Reminders and group messages: "what is due now", a message written per language with the
 * invitations table's filters, previewed (count and rendering per language, the fallback said)
 * before it can be sent, and the list of sent messages with their delivery counts. One request id
 * per draft: a second click, or a retry, sends nothing twice.
 */
export const communicationsView = (api: OrganizerApi) => {
  const form = byId<HTMLFormElement>('message-form');
  const send = byId<HTMLButtonElement>('message-send');
  const error = byId('message-error');
  const result = byId('message-result');
  let requestId = newRequestId();
  const load = () => loadMessages(api, error);

  // Any edit after a preview asks for a new preview before sending.
  form.addEventListener('input', () => {
    send.disabled = true;
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    setError(error, '');
    send.disabled = true;
    api.previewMessage(readDraft(form, requestId)).then(
      (p) => {
        showPreview(result, p);
        send.disabled = p.total === 0;
      },
      (err: unknown) => {
        clear(result);
        setError(error, explain(err));
      },
    );
  });
  send.addEventListener('click', () => {
    send.disabled = true;
    setError(error, '');
    api.sendMessage(readDraft(form, requestId)).then(
      (sent) => {
        clear(result).append(el('p', { role: 'status' }, sent.created ? t('messageQueued', { count: sent.recipients }) : t('messageAlreadySent')));
        // The next message is a new one.
        requestId = newRequestId();
        void load();
      },
      (err: unknown) => {
        send.disabled = false;
        setError(error, explain(err));
      },
    );
  });
  wireReminders(api);

  return {
    load: async () => {
      fillSessions();
      await load();
    },
  };
};
