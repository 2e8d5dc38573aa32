import type { EventDetail } from '#domain/organizer-api.js';
import { ApiError, type OrganizerApi } from './api.js';
import { byId, clear, el, labelCells } from './dom.js';
import { reason } from './invitations.js';
import { eventOutline, LANGUAGE, listOf, t } from './messages.js';
import { eventFieldName, type SentSessions } from './refusals.js';

/** An edit's refusal in the organizer's language: what went wrong and with which field. */
const refusal = (err: unknown, sent: SentSessions = {}): string => {
  if (err instanceof ApiError) {
    const fields = listOf([...new Set((err.body.details ?? []).map((d) => eventFieldName(d.field, sent)))]);
    if (err.body.error === 'event_version_conflict')
      return t('eventErrorStale', { fields: t('eventVersion', { version: Number(/is (\d+) now/.exec(err.body.details?.[0]?.message ?? '')?.[1] ?? 0) }) });
    if (err.body.error === 'capacity_below_confirmed') return t('eventErrorCapacity', { seats: Number(/has (\d+) seat/.exec(err.body.message ?? '')?.[1] ?? 0) });
    if (err.body.error === 'event_exists') return t('eventErrorExists');
    if (err.status === 400 && fields) return t('eventErrorFields', { fields });
  }
  return t('failed', { message: reason(err) });
};

const input = (id: string) => byId<HTMLInputElement>(id);
const value = (id: string) => input(id).value.trim();
const names = (prefix: string) => ({ es: value(`${prefix}-es`), en: value(`${prefix}-en`), fr: value(`${prefix}-fr`) });

/** One session's row: its name and seats taken, then its times, capacity and cancellation as inputs. */
const sessionRow = (s: EventDetail['definition']['sessions'][number], state: EventDetail['sessions'][number] | undefined) => {
  const cancelled = Boolean(s.cancelled);
  const field = (kind: string, attrs: Record<string, string | number | boolean>, label: string) =>
    el('input', { id: `session-${s.id}-${kind}`, 'data-session': s.id, 'aria-label': `${label}: ${s.name[LANGUAGE]}`, disabled: cancelled, ...attrs });
  return el(
    'tr',
    { 'data-session': s.id },
    el(
      'th',
      { scope: 'row' },
      s.name[LANGUAGE],
      el('br'),
      el('span', { class: 'meta' }, cancelled ? t('eventSessionCancelled') : t('eventSessionTaken', { seats: state?.confirmedSeats ?? 0, waiting: state?.waitlistedParties ?? 0 })),
    ),
    el('td', {}, field('start', { type: 'datetime-local', value: s.start }, t('eventSessionStart'))),
    el('td', {}, field('end', { type: 'datetime-local', value: s.end }, t('eventSessionEnd'))),
    el('td', {}, field('capacity', { type: 'number', min: 1, max: 100000, value: s.capacity }, t('eventSessionCapacity'))),
    el('td', {}, field('cancel', { type: 'checkbox', ...(cancelled ? { checked: true } : {}) }, t('eventSessionCancel'))),
  );
};

const renderEvent = (d: EventDetail) => {
  byId('event-version').textContent = t('eventVersion', { version: d.definition.version });
  input('event-deadline').value = d.definition.rsvpDeadline;
  input('event-closed').checked = Boolean(d.definition.rsvpClosed);
  const rows = clear(byId('event-sessions'));
  for (const s of d.definition.sessions) {
    const state = d.sessions.find((x) => x.id === s.id);
    rows.appendChild(sessionRow(s, state));
  }
  labelCells(rows.closest('table')!);
};

const NEW_SESSION_FIELDS = ['new-session-id', 'new-session-es', 'new-session-en', 'new-session-fr', 'new-session-start', 'new-session-end', 'new-session-capacity'];

/** The definition as edited: the form's deadline, close and session fields over the version read, plus the new session if one is named. */
const editedEvent = (read: EventDetail['definition']) => {
  const { version, ...definition } = read;
  const sessions = definition.sessions.map((s) => ({
    ...s,
    start: value(`session-${s.id}-start`),
    end: value(`session-${s.id}-end`),
    capacity: Number(value(`session-${s.id}-capacity`)),
    ...(input(`session-${s.id}-cancel`).checked ? { cancelled: true } : {}),
  }));
  if (value('new-session-id'))
    sessions.push({
      id: value('new-session-id'),
      name: names('new-session'),
      start: value('new-session-start'),
      end: value('new-session-end'),
      capacity: Number(value('new-session-capacity')),
      requiresAccreditation: false,
    });
  return { definition, sessions, version };
};

/** A new event takes this one's categories and topics and one first session; the rest is edited after. */
const newEvent = () => {
  const outline = eventOutline();
  return {
    id: value('create-id'),
    name: names('create'),
    venue: { name: value('create-venue'), city: value('create-city'), country: value('create-country') },
    timezone: value('create-timezone'),
    rsvpDeadline: value('create-deadline'),
    languages: ['es', 'en', 'fr'],
    categories: outline?.categories ?? [],
    topics: outline?.topics ?? [],
    sessions: [
      {
        id: value('create-session-id'),
        name: names('create-session'),
        start: value('create-session-start'),
        end: value('create-session-end'),
        capacity: Number(value('create-session-capacity')),
      },
    ],
  };
};

/** Creating an event: on success, a link to the dashboard of the new event. */
const wireEventCreate = (api: OrganizerApi) => {
  byId<HTMLFormElement>('event-create-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const createStatus = clear(byId('event-create-status'));
    const body = newEvent();
    void api
      .createEvent(body)
      .then((created) => {
        createStatus.appendChild(el('a', { id: 'event-created-link', href: `?lang=${LANGUAGE}&event=${encodeURIComponent(created.definition.id)}` }, t('eventCreated')));
      })
      .catch((err: unknown) => {
        createStatus.textContent = refusal(err, body);
      });
  });
};

/**
 * The event and its sessions as organizers change them: deadline and early close, each session's
 * times, capacity and cancellation, a new session. The edit is sent with the version it was read at;
 * a refusal (a stale version, a capacity below the seats taken) is shown as the API words it.
 */
export const eventView = (api: OrganizerApi, changed: () => void) => {
  let detail: EventDetail | undefined;
  const status = byId('event-status');

  const render = (d: EventDetail) => {
    detail = d;
    renderEvent(d);
  };

  const load = async () => {
    try {
      render(await api.eventDetail());
    } catch (err) {
      status.textContent = t('failed', { message: reason(err) });
    }
  };

  byId<HTMLFormElement>('event-form').addEventListener('submit', (e) => {
    e.preventDefault();
    if (!detail) return;
    const { definition, sessions, version } = editedEvent(detail.definition);
    status.textContent = '';
    const edit = { ...definition, rsvpDeadline: value('event-deadline'), rsvpClosed: input('event-closed').checked, sessions, version };
    void api
      .saveEvent(edit)
      .then((saved) => {
        render(saved);
        for (const id of NEW_SESSION_FIELDS) input(id).value = '';
        status.textContent = t('eventSaved', { version: saved.definition.version, promoted: (saved.change?.capacity ?? []).reduce((n, c) => n + c.promoted, 0) });
        changed();
      })
      .catch((err: unknown) => {
        status.textContent = refusal(err, edit);
      });
  });

  wireEventCreate(api);

  return { load };
};
