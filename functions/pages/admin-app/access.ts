import type { AuditEntry } from '#domain/access/audit.js';
import type { Grant } from '#domain/access/roles.js';
import type { CompanionRole } from '#domain/model.js';
import type { OrganizerApi } from './api.js';
import { byId, clear, el } from './dom.js';
import { failure } from './invitations.js';
import { LOCALE, t } from './messages.js';

const auditLine = (e: AuditEntry) =>
  el(
    'li',
    {},
    el('strong', {}, e.action),
    ' ',
    el('span', { class: 'meta' }, `${new Date(e.at).toLocaleString(LOCALE)} · ${e.actor.email}${e.target ? ` · ${e.target}` : ''}`),
    e.before || e.after ? [el('br'), `${JSON.stringify(e.before ?? {})} → ${JSON.stringify(e.after ?? {})}`] : null,
  );

/** Security's list: each accredited person with their clearance, and the buttons to decide. */
export const accreditationView = (api: OrganizerApi) => {
  const rows = byId('accreditation-rows');
  const status = byId('accreditation-status');
  const load = async () => {
    try {
      const { items } = await api.accreditation();
      clear(rows);
      for (const r of items) {
        const note = el('input', { type: 'text', maxlength: 500, 'aria-label': `${t('clearanceNote')} ${r.name}`, value: r.clearanceNote });
        const decide = (state: 'cleared' | 'refused') => () =>
          void api.setClearance(r.invitationId, state, note.value, r.holder).then(
            () => void load(),
            (err: unknown) => (status.textContent = failure(err)),
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
            el('td', {}, r.nationality ?? '—'),
            el('td', {}, r.idDocumentNumber ?? '—'),
            el('td', { class: `clearance-${r.clearance}` }, r.clearance),
            el('td', {}, note),
            el('td', {}, clearButton, ' ', refuseButton),
          ),
        );
      }
      status.textContent = '';
    } catch (err) {
      status.textContent = failure(err);
    }
  };
  return { load };
};

/** The event's audit, filtered by action and actor, with a CSV export of what the filters select. */
export const auditView = (api: OrganizerApi, download: (blob: Blob, name: string) => void, eventId: string) => {
  const form = byId<HTMLFormElement>('audit-filters');
  const rows = byId('audit-rows');
  const status = byId('audit-status');
  const query = () => {
    const q = new URLSearchParams();
    for (const name of ['action', 'actor']) {
      const v = (form.elements.namedItem(name) as HTMLInputElement).value.trim();
      if (v) q.set(name, v);
    }
    return q.toString();
  };
  const load = async () => {
    try {
      const { items } = await api.audit(query());
      clear(rows).append(...items.map(auditLine));
      status.textContent = '';
    } catch (err) {
      status.textContent = failure(err);
    }
  };
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load();
  });
  byId('audit-export').addEventListener('click', () => {
    api.file(`/audit.csv?${query()}`).then(
      (blob) => download(blob, `${eventId}-audit.csv`),
      (err: unknown) => (status.textContent = failure(err)),
    );
  });
  return { load };
};

/** `role:event` or `admin`, one per line, as grants; unreadable lines are sent as they are and refused by the API. */
const parseRoles = (text: string): Grant[] =>
  text
    .split(/[\n,]+/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => (l === 'admin' ? { role: 'admin' } : ({ role: l.split(':')[0], eventId: l.split(':').slice(1).join(':') } as Grant)));
const formatRoles = (grants: Grant[]) => grants.map((g) => (g.role === 'admin' ? 'admin' : `${g.role}:${g.eventId}`)).join('\n');

/** Admin's people: invite with roles, change roles, remove; and who changed whom. */
export const peopleView = (api: OrganizerApi) => {
  const rows = byId('people-rows');
  const status = byId('people-status');
  const trail = byId('people-audit');
  const done = (promise: Promise<unknown>) =>
    void promise.then(
      () => void load(),
      (err: unknown) => (status.textContent = failure(err)),
    );
  const load = async () => {
    try {
      const [{ items }, audit] = await Promise.all([api.people(), api.peopleAudit()]);
      clear(rows);
      for (const p of items) {
        const roles = el('textarea', { rows: 2, 'aria-label': `${t('peopleRoles')} ${p.email}` }, formatRoles(p.roles));
        const save = el('button', { type: 'button', class: 'secondary' }, t('saveRoles'));
        const remove = el('button', { type: 'button', class: 'secondary' }, t('remove'));
        save.addEventListener('click', () => done(api.setRoles(p.username, parseRoles(roles.value))));
        remove.addEventListener('click', () => done(api.removePerson(p.username)));
        rows.appendChild(
          el(
            'tr',
            { 'data-person': p.email },
            el('td', {}, p.email, el('br'), el('span', { class: 'meta' }, `${p.username} · ${p.status}${p.mfa ? ' · TOTP' : ''}`)),
            el('td', {}, roles),
            el('td', {}, save, ' ', remove),
          ),
        );
      }
      clear(trail).append(...audit.items.map(auditLine));
      status.textContent = '';
    } catch (err) {
      status.textContent = failure(err);
    }
  };
  byId<HTMLFormElement>('people-invite').addEventListener('submit', (e) => {
    e.preventDefault();
    const email = byId<HTMLInputElement>('people-email').value.trim();
    done(api.invite(email, parseRoles(byId<HTMLTextAreaElement>('people-roles').value)).then(() => (byId<HTMLInputElement>('people-email').value = '')));
  });
  return { load };
};
