import type { InvitationListItem } from '#domain/organizer-api.js';
import type { ResponseStatus } from '#domain/model.js';
import { ApiError, type ListFilters, type OrganizerApi } from './api.js';
import { byId, clear, el, show } from './dom.js';
import { fmt, M } from './messages.js';

const PAGE_SIZE = 50;
const FILTERS = ['q', 'status', 'category', 'country', 'sort'] as const;

const humanize = (id: string) => {
  const s = id.replace(/-/g, ' ');
  return s.charAt(0).toUpperCase() + s.slice(1);
};

const statusPill = (status: ResponseStatus) => el('span', { class: `status status-${status}` }, M.status[status] ?? status);

const row = (inv: InvitationListItem) =>
  el(
    'tr',
    { 'data-id': inv.id },
    el('td', {}, el('strong', {}, inv.name), inv.email ? [el('br'), el('span', { class: 'meta' }, inv.email)] : null),
    el('td', {}, inv.organization ?? ''),
    el('td', {}, inv.country),
    el('td', {}, inv.category),
    el('td', {}, el('ul', { class: 'plain' }, inv.sessions.map((id) => el('li', {}, humanize(id), ': ', statusPill(inv.responses[id]?.status ?? 'pending'))))),
    el('td', { 'data-delivery': inv.delivery?.state ?? '' }, inv.delivery?.state ?? '—'),
    el('td', {}, el('button', { type: 'button', class: 'secondary', 'data-open': inv.id }, M.open)),
  );

/** The filtered, searchable invitations table, 50 rows at a time. */
export const invitationsTable = (api: OrganizerApi, onError: (err: unknown) => void) => {
  const rows = byId('inv-rows');
  const more = byId('inv-more');
  const form = byId<HTMLFormElement>('filters');
  let cursor: string | undefined;

  const filters = (): ListFilters => {
    const out: ListFilters = {};
    for (const name of FILTERS) {
      const value = (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
      if (value) out[name] = value;
    }
    return out;
  };

  const load = async (next: boolean): Promise<void> => {
    if (!next) {
      clear(rows);
      cursor = undefined;
    }
    try {
      const page = await api.invitations(filters(), PAGE_SIZE, next ? cursor : undefined);
      for (const inv of page.items) rows.appendChild(row(inv));
      cursor = page.nextCursor;
      show(more, Boolean(cursor));
      byId('inv-total').textContent = fmt(M.total, { count: page.total });
    } catch (err) {
      onError(err);
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    void load(false);
  });
  more.addEventListener('click', () => void load(true));
  return { reload: () => load(false) };
};

/** A refusal as the organizer reads it. */
export const failure = (err: unknown) =>
  err instanceof ApiError && err.status === 404 ? M.notAvailable : fmt(M.failed, { message: err instanceof Error ? err.message : String(err) });

/**
 * Badge routes answer with a short-lived S3 link. Following their redirect from fetch() would need
 * the storage origin in connect-src, so the link is asked for as JSON and opened as a navigation.
 */
export const openLink = async (link: Promise<{ url: string }>) => {
  const { url } = await link;
  if (!url) throw new ApiError(404);
  window.location.assign(url);
};
