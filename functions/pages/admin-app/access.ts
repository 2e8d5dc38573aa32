import type { AuditEntry } from '#domain/access/audit.js';
import { toCsv } from '#domain/csv.js';
import { instantAsLocal } from '#domain/time.js';
import type { CompanionRole } from '#domain/model.js';
import { ApiError, type OrganizerApi } from './api.js';
import { actionWords, auditLine, changeWords, targetWords } from './audit-words.js';
import { byId, clear, el, labelCells, statusLine, type StatusLine } from './dom.js';
import type { download } from './exports.js';
import { failure } from './invitations.js';
import type { DashboardKey } from '#i18n/dashboard/es.js';
import { grantsEditor } from './grants.js';
import { countryName, eventOutline, fileName, setEventNames, t } from './messages.js';

/**
 * A refusal in the section's words: what is wrong with each field the API named (`fields`, by the
 * field's first path segment), else the general reason.
 */
const refusal = (err: unknown, fields: Partial<Record<string, DashboardKey>>) => {
  const named = err instanceof ApiError && err.status === 400 ? [...new Set((err.body.details ?? []).map((d) => fields[d.field.split('.')[0]]))] : [];
  return named.length && named.every(Boolean) ? named.map((key) => t(key!)).join(' ') : failure(err);
};

/**
 * A section's load: `draw` fetches and redraws its list; the status line is cleared unless something
 * was said while it loaded (a refusal stays), or says why the load failed.
 */
const loader = (status: StatusLine, draw: () => Promise<void>) => async () => {
  const mark = status.mark();
  try {
    await draw();
    status.clearSince(mark);
  } catch (err) {
    status.say(failure(err));
  }
};

/** Security's list: each accredited person with their clearance, and the buttons to decide. */
export const accreditationView = (api: OrganizerApi) => {
  const rows = byId('accreditation-rows');
  const status = statusLine(byId('accreditation-status'));
  const load = loader(status, async () => {
    const { items } = await api.accreditation();
    clear(rows);
    for (const r of items) {
      const note = el('input', { type: 'text', maxlength: 500, 'aria-label': `${t('clearanceNote')} ${r.name}`, value: r.clearanceNote });
      const decide = (state: 'cleared' | 'refused') => () =>
        void api.setClearance(r.invitationId, state, note.value, r.holder).then(
          () => void load(),
          (err: unknown) => status.say(refusal(err, { note: 'clearanceError.note' })),
        );
      const person = r.holder ? `${r.invitationId}#${r.holder}` : r.invitationId;
      const clearButton = el('button', { type: 'button', class: 'secondary', 'data-clear': person }, t('clear'));
      const refuseButton = el('button', { type: 'button', class: 'secondary', 'data-refuse': person }, t('refuse'));
      clearButton.addEventListener('click', decide('cleared'));
      refuseButton.addEventListener('click', decide('refused'));
      rows.appendChild(
        el(
          'tr',
          { 'data-invitation': r.invitationId, ...(r.holder ? { 'data-holder': r.holder } : {}) },
          el(
            'td',
            {},
            r.name,
            r.delegationOf ? [el('br'), el('span', { class: 'meta' }, t('delegationOf', { name: r.delegationOf, role: t(`companionRole.${r.role as CompanionRole}`) }))] : null,
          ),
          el('td', {}, r.organization),
          el('td', {}, r.nationality ? countryName(r.nationality) : '—'),
          el('td', {}, r.idDocumentNumber ?? '—'),
          el('td', { class: `clearance-${r.clearance}`, 'data-clearance': r.clearance }, t(`clearance.${r.clearance}`)),
          el('td', {}, note),
          el('td', { class: 'actions' }, clearButton, ' ', refuseButton),
        ),
      );
    }
    labelCells(rows.closest('table')!);
  });
  return { load };
};

/** How a view hands a file to the browser: exports.ts's `download`, passed in by app.ts. */
type Download = typeof download;

/** The most records the audit API answers at once (audit-query.ts): what one export holds. */
const AUDIT_EXPORT_LIMIT = 1000;

/** The records as CSV in the page's language: when (the venue's clock), who, what, about whom, what changed; a byte order mark first. */
const auditCsv = (items: AuditEntry[]) =>
  new Blob(
    [
      '\uFEFF',
      toCsv(
        [t('auditColumn.at'), t('auditColumn.actor'), t('auditColumn.action'), t('auditColumn.target'), t('auditColumn.changes')],
        items.map((e) => [instantAsLocal(e.at, eventOutline()?.timezone ?? 'UTC'), e.actor.email, actionWords(e), targetWords(e) ?? '', changeWords(e).join(' · ')]),
      ),
    ],
    { type: 'text/csv;charset=utf-8' },
  );

/** The event's audit, filtered by action and actor, with a CSV export of what the filters select. */
export const auditView = (api: OrganizerApi, download: Download) => {
  const form = byId<HTMLFormElement>('audit-filters');
  const rows = byId('audit-rows');
  const status = statusLine(byId('audit-status'));
  const query = (limit?: number) => {
    const q = new URLSearchParams(limit ? { limit: String(limit) } : {});
    for (const name of ['action', 'actor']) {
      const v = (form.elements.namedItem(name) as HTMLInputElement).value.trim();
      if (v) q.set(name, v);
    }
    return q.toString();
  };
  const load = loader(status, async () => {
    const { items } = await api.audit(query());
    clear(rows).append(...items.map(auditLine));
  });
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  // The export is the trail as the list reads it (up to the API's 1,000 records), written for a
  // spreadsheet: the page's words, the venue's clock, a byte order mark for "México" to read right.
  byId('audit-export').addEventListener('click', () => {
    api.audit(query(AUDIT_EXPORT_LIMIT)).then(
      ({ items }) => download(auditCsv(items), fileName('audit')),
      (err: unknown) => status.say(failure(err)),
    );
  });
  return { load };
};

/** Admin's people: invite with roles, change roles, remove; and who changed whom, with its export. */
export const peopleView = (api: OrganizerApi, download: Download) => {
  const rows = byId('people-rows');
  const status = statusLine(byId('people-status'));
  const trail = byId('people-audit');
  const done = (promise: Promise<unknown>) =>
    void promise.then(
      () => void load(),
      (err: unknown) => status.say(refusal(err, { email: 'peopleError.email', roles: 'peopleError.roles' })),
    );
  // The invitation's roles, drawn on the first load (the event is named by then): one line to start, viewer of this event.
  let inviteRoles: ReturnType<typeof grantsEditor> | undefined;
  const load = loader(status, async () => {
    if (!inviteRoles) {
      inviteRoles = grantsEditor('', []);
      inviteRoles.reset();
      byId('people-grants').appendChild(inviteRoles.node);
    }
    const [events, { items }, audit] = await Promise.all([api.events(), api.people(), api.peopleAudit()]);
    setEventNames(events.events);
    inviteRoles.refresh();
    clear(rows);
    for (const p of items) {
      const roles = grantsEditor(p.email, p.roles);
      const save = el('button', { type: 'button', class: 'secondary' }, t('saveRoles'));
      const remove = el('button', { type: 'button', class: 'secondary' }, t('remove'));
      save.addEventListener('click', () => done(api.setRoles(p.username, roles.value())));
      remove.addEventListener('click', () => done(api.removePerson(p.username)));
      rows.appendChild(
        el(
          'tr',
          { 'data-person': p.email },
          el('td', {}, p.email, el('br'), el('span', { class: 'meta' }, [t('personStatus.state', { status: p.status }), ...(p.mfa ? [t('personTotp')] : [])].join(' · '))),
          el('td', {}, roles.node),
          el('td', { class: 'actions' }, save, ' ', remove),
        ),
      );
    }
    labelCells(rows.closest('table')!);
    clear(trail).append(...audit.items.map(auditLine));
  });
  // Who changed whom as the trail reads it, for a spreadsheet, like the event's audit export.
  byId('people-audit-export').addEventListener('click', () => {
    api.peopleAudit(AUDIT_EXPORT_LIMIT).then(
      ({ items }) => download(auditCsv(items), fileName('peopleAudit', false)),
      (err: unknown) => status.say(failure(err)),
    );
  });
  byId<HTMLFormElement>('people-invite').addEventListener('submit', (e) => {
    e.preventDefault();
    const email = byId<HTMLInputElement>('people-email').value.trim();
    done(
      api.invite(email, inviteRoles?.value() ?? []).then(() => {
        byId<HTMLInputElement>('people-email').value = '';
        inviteRoles?.reset();
      }),
    );
  });
  return { load };
};
