import type { HistoryEntry, InvitationDetail } from '#domain/organizer-api.js';
import type { OrganizerApi } from './api.js';
import { byId, clear, el } from './dom.js';
import { failure, openLink } from './invitations.js';
import { LOCALE, M } from './messages.js';

const HIDDEN_KEYS = new Set(['at', 'occurredAt', 'type', 'id', 'eventId', 'invitationId']);

const historyLine = (h: HistoryEntry) => {
  const when = h.at ? new Date(h.at).toLocaleString(LOCALE) : '';
  const rest = Object.entries(h)
    .filter(([k]) => !HIDDEN_KEYS.has(k))
    .map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(', ');
  return el('li', {}, el('strong', {}, h.type), ' ', el('span', { class: 'meta' }, when), rest ? el('br') : null, rest);
};

const summary = (inv: InvitationDetail) => {
  const dl = el('dl', { class: 'summary' });
  const delivery = inv.delivery ? inv.delivery.state + (inv.delivery.detail ? ` — ${inv.delivery.detail}` : '') : '—';
  const pairs: Array<[string, string | undefined]> = [
    [M.colEmail, inv.email],
    [M.colOrganization, inv.organization],
    [M.colCountry, inv.country],
    [M.colCategory, inv.category],
    [M.colDelivery, delivery],
  ];
  for (const [label, value] of pairs) dl.append(el('dt', {}, label), el('dd', {}, value || '—'));
  return dl;
};

/** One invitation in a dialog: its summary and history, resend, badge. */
export const invitationDetail = (api: OrganizerApi) => {
  const dialog = byId<HTMLDialogElement>('detail');
  const body = byId('detail-body');
  const title = byId('detail-title');
  const status = byId('detail-status');
  let openId: string | undefined;

  const open = async (id: string) => {
    openId = id;
    clear(body).appendChild(el('p', {}, M.loading));
    status.textContent = '';
    title.textContent = M.loading;
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    try {
      const inv = await api.invitation(id);
      title.textContent = inv.name;
      clear(body).append(summary(inv), el('h3', {}, M.historyHeading));
      if (!inv.history.length) body.appendChild(el('p', {}, M.noHistory));
      body.appendChild(el('ol', { id: 'detail-history' }, inv.history.map(historyLine)));
    } catch (err) {
      title.textContent = '';
      clear(body).appendChild(el('p', { class: 'error-message' }, failure(err)));
    }
  };

  byId('inv-rows').addEventListener('click', (e) => {
    const target = (e.target as Element).closest('[data-open]');
    if (target) void open(target.getAttribute('data-open')!);
  });
  byId('detail-close').addEventListener('click', () => (typeof dialog.close === 'function' ? dialog.close() : dialog.removeAttribute('open')));
  byId('detail-resend').addEventListener('click', () => {
    if (!openId) return;
    api.resend(openId).then(
      () => (status.textContent = M.resent),
      (err: unknown) => (status.textContent = failure(err)),
    );
  });
  byId('detail-badge').addEventListener('click', () => {
    if (!openId) return;
    openLink(api.badgeLink(openId)).catch((err: unknown) => (status.textContent = failure(err)));
  });
};
