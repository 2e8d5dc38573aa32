import type { ResponseStatus } from '#domain/model.js';
import type { InvitationListItem } from '#domain/organizer-api.js';
import { ApiError, type ListFilters, type OrganizerApi } from './api.js';
import { byId, clear, el, show } from './dom.js';
import { categoryName, countryName, eventOutline, sessionName, t, tOr } from './messages.js';

/** Rows per page: 10,000 invitees are 200 pages, each drawn in one go. */
export const PAGE_SIZE = 50;
const FILTERS = ['q', 'status', 'category', 'country', 'sort'] as const;

/** An invitation's email as the organizer reads it: what was sent, or what came back. */
export const deliveryText = (delivery: InvitationListItem['delivery']) => {
  if (!delivery) return t('delivery.none');
  if (delivery.state === 'sent') return t('delivery.sent', { kind: delivery.detail ?? 'other' });
  return tOr(`delivery.${delivery.state}`, 'delivery.unknown');
};

export const statusPill = (status: ResponseStatus | 'revoked', short = false) =>
  el('span', { class: `status status-${status}`, 'data-status': status }, t(short ? `short.${status}` : `status.${status}`));

const sessionCell = (inv: InvitationListItem, sessionId: string) =>
  el(
    'td',
    { 'data-session': sessionId },
    !inv.sessions.includes(sessionId)
      ? el('span', { class: 'meta' }, t('notInvited'))
      : inv.status === 'revoked'
        ? statusPill('revoked', true)
        : statusPill(inv.responses[sessionId]?.status ?? 'pending', true),
  );

const row = (inv: InvitationListItem, sessionIds: string[]) =>
  el(
    'tr',
    { 'data-id': inv.id },
    el(
      'td',
      { class: 'who' },
      el('strong', {}, inv.name),
      // A viewer's list carries no emails.
      inv.email ? [el('br'), el('span', { class: 'meta' }, inv.email)] : null,
      inv.organization ? [el('br'), el('span', { class: 'meta' }, inv.organization)] : null,
    ),
    el('td', {}, countryName(inv.country)),
    el('td', {}, categoryName(inv.category)),
    sessionIds.map((id) => sessionCell(inv, id)),
    el('td', { class: 'num', 'data-guests': inv.guests }, inv.guests ? String(inv.guests) : t('none')),
    el('td', { 'data-delivery': inv.delivery?.state ?? '' }, deliveryText(inv.delivery)),
    el('td', {}, el('button', { type: 'button', class: 'secondary', 'data-open': inv.id, 'aria-label': t('labelled', { label: t('open'), text: inv.name }) }, t('open'))),
  );

/** The head row: fixed columns and one column per session of the event, named in the page's language. */
const head = (sessionIds: string[]) =>
  el(
    'tr',
    {},
    el('th', { scope: 'col' }, t('colName')),
    el('th', { scope: 'col' }, t('colCountry')),
    el('th', { scope: 'col' }, t('colCategory')),
    sessionIds.map((id) => el('th', { scope: 'col', class: 'session', 'data-session': id }, sessionName(id))),
    el('th', { scope: 'col', class: 'num' }, t('colGuests')),
    el('th', { scope: 'col' }, t('colDelivery')),
    el('th', { scope: 'col' }, t('colActions')),
  );

/**
 * The invitations table: one row per invitation with a status column per session, filtered and
 * searched by the API, a page of 50 at a time with Previous and Next.
 */
export const invitationsTable = (api: OrganizerApi, onError: (err: unknown) => void) => {
  const rows = byId('inv-rows');
  const form = byId<HTMLFormElement>('filters');
  const pager = byId('inv-pager');
  const prev = byId<HTMLButtonElement>('inv-prev');
  const next = byId<HTMLButtonElement>('inv-next');
  /** The cursor of each page shown so far; the last is the current page's. */
  let cursors: Array<string | undefined> = [undefined];
  let nextCursor: string | undefined;
  /** Answers to an earlier query that arrive after a later one are dropped. */
  let latest = 0;

  const filters = (): ListFilters => {
    const out: ListFilters = {};
    for (const name of FILTERS) {
      const value = (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement).value.trim();
      if (value) out[name] = value;
    }
    return out;
  };

  const load = async (): Promise<void> => {
    const request = ++latest;
    // The rows of the previous query go at once: what the table shows always answers what was asked.
    clear(rows);
    byId('inv-range').textContent = '';
    try {
      const page = await api.invitations(filters(), PAGE_SIZE, cursors.at(-1));
      if (request !== latest) return;
      const sessionIds = eventOutline()?.sessions.map((s) => s.id) ?? [];
      clear(byId('inv-head')).appendChild(head(sessionIds));
      rows.append(...page.items.map((inv) => row(inv, sessionIds)));
      nextCursor = page.nextCursor;
      const from = (cursors.length - 1) * PAGE_SIZE;
      byId('inv-total').textContent = t('total', { count: page.total });
      byId('inv-range').textContent = page.items.length ? t('pageRange', { from: from + 1, to: from + page.items.length, total: page.total }) : '';
      prev.disabled = cursors.length === 1;
      next.disabled = !nextCursor;
      show(pager, cursors.length > 1 || Boolean(nextCursor));
    } catch (err) {
      onError(err);
    }
  };

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    cursors = [undefined];
    void load();
  });
  next.addEventListener('click', () => {
    if (!nextCursor) return;
    cursors.push(nextCursor);
    void load();
  });
  prev.addEventListener('click', () => {
    if (cursors.length === 1) return;
    cursors.pop();
    void load();
  });
  return {
    /** Back to the first page with the current filters. */
    reload: () => {
      cursors = [undefined];
      return load();
    },
  };
};

/** Why a request failed, in the organizer's words: the API's own message is English, for the log. */
export const reason = (err: unknown): string => {
  if (!(err instanceof ApiError)) return t('error.network');
  if (err.status === 429) return t('error.throttled');
  if (err.status === 403) return t('error.forbidden');
  if (err.status >= 400 && err.status < 500) return t('error.invalid');
  return t('error.server');
};

/** A refusal as the organizer reads it: "not available yet" for a 404 (a badge not rendered yet), else the reason. */
export const failure = (err: unknown) => (err instanceof ApiError && err.status === 404 ? t('notAvailable') : t('failed', { message: reason(err) }));

/**
 * Badge routes answer with a short-lived S3 link. Following their redirect from fetch() would need
 * the storage origin in connect-src, so the link is asked for as JSON and opened as a navigation.
 */
export const openLink = async (link: Promise<{ url: string }>) => {
  const { url } = await link;
  if (!url) throw new ApiError(404);
  window.location.assign(url);
};
