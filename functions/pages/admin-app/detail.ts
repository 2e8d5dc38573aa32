import type { HistoryEntry, InvitationDetail } from '#domain/organizer-api.js';
import { ApiError, type OrganizerApi } from './api.js';
import { byId, clear, el, type Child } from './dom.js';
import { deliveryText, failure, openLink, statusPill } from './invitations.js';
import { categoryName, countryName, languageName, listOf, LOCALE, sessionName, t, topicName, tOr } from './messages.js';

/** One change of the invitation's history, in the organizer's words. */
export const historyText = (h: HistoryEntry): string => {
  // Organizer actions from the audit trail name who did them.
  if ('actor' in h) return t(`history.${h.type}`, { actor: h.actor });
  // A viewer's history carries only each change's type and time.
  if (!('id' in h)) return t('history.redacted', { type: h.type.split('.')[1] ?? 'other' });
  switch (h.type) {
    case 'invitation.created':
      return t('history.invitation.created', { reason: h.reason });
    case 'invitation.updated':
      return t('history.invitation.updated', { fields: listOf(h.changed.map((f) => tOr(`field.${f}`, 'field.other'))) });
    case 'rsvp.confirmed':
      return t('history.rsvp.confirmed', { promoted: String(h.promoted), session: sessionName(h.sessionId), seats: h.seats });
    case 'rsvp.waitlisted':
      return t('history.rsvp.waitlisted', { session: sessionName(h.sessionId), seats: h.seats });
    case 'rsvp.declined':
      return t('history.rsvp.declined', { session: sessionName(h.sessionId), previous: h.previous });
    case 'rsvp.answered':
      // Entered by an organizer on the invitee's behalf: the history names who.
      return h.enteredBy ? t('history.rsvp.answeredFor', { actor: h.enteredBy.email, count: h.outcomes.length }) : t('history.rsvp.answered', { count: h.outcomes.length });
    case 'seat.freed':
      return t('history.seat.freed', { session: sessionName(h.sessionId), seats: h.seats });
    case 'event.rescheduled':
      return t('history.event.rescheduled');
    case 'session.cancelled':
      return t('history.session.cancelled', { session: sessionName(h.sessionId) });
    case 'invitation.rescheduled':
      return t('history.invitation.rescheduled', { sessions: listOf(h.sessions.map(sessionName)) });
    case 'invitation.session-cancelled':
      return t('history.invitation.session-cancelled', { session: sessionName(h.sessionId) });
  }
};

const historyLine = (h: HistoryEntry) =>
  el('li', { 'data-type': h.type }, el('strong', {}, historyText(h)), ' ', el('span', { class: 'meta' }, h.at ? new Date(h.at).toLocaleString(LOCALE) : ''));

/** Delivery detail from the mail service (a bounce's diagnostic) is its text, not ours: shown only for failures. */
const deliveryLine = (inv: InvitationDetail): Child => {
  const d = inv.delivery;
  if (!d || d.state === 'sent' || d.state === 'delivered' || !d.detail) return deliveryText(d);
  return [deliveryText(d), el('br'), el('span', { class: 'meta' }, t('deliveryDetail', { detail: d.detail }))];
};

const summary = (inv: InvitationDetail) => {
  const dl = el('dl', { class: 'summary' });
  const pairs: Array<[string, Child]> = [
    [t('colEmail'), inv.email],
    [t('colTitle'), inv.title],
    [t('colOrganization'), inv.organization],
    [t('colCountry'), countryName(inv.country)],
    [t('colCategory'), categoryName(inv.category)],
    [t('colLanguage'), languageName(inv.language)],
    ...(inv.revoked
      ? [[t('statusFilter'), [statusPill('revoked'), ' ', el('span', { class: 'meta' }, t('revokedLine', { actor: inv.revoked.by.email }))]] as [string, Child]]
      : []),
    ...inv.sessions.map((id): [string, Child] => [sessionName(id), inv.revoked ? statusPill('revoked', true) : statusPill(inv.responses[id]?.status ?? 'pending')]),
    ...(inv.answeredBy ? [[t('answerFor'), t('answeredByLine', { actor: inv.answeredBy.email })] as [string, Child]] : []),
    [t('colGuests'), t('guestsOf', { guests: inv.guests, allowed: inv.guestsAllowed })],
    [
      t('colCompanions'),
      inv.companions?.length
        ? el(
            'ul',
            { class: 'plain', id: 'detail-companions' },
            inv.companions.map((c) =>
              el('li', { 'data-holder': c.id }, t('companionLine', { name: c.name, role: t(`companionRole.${c.role}`), language: languageName(c.language) })),
            ),
          )
        : undefined,
    ],
    [t('colDietary'), inv.dietary],
    [t('colAccessibility'), inv.accessibility],
    [t('colBadgeName'), inv.badgeName],
    [t('colTopics'), inv.topics.length ? listOf(inv.topics.map((x) => topicName(x))) : undefined],
    [t('colAccreditation'), t(inv.hasAccreditation ? 'accreditation.onFile' : 'accreditation.none')],
    [t('colDelivery'), deliveryLine(inv)],
    // reminders
    [t('colOptOut'), inv.optOut ? t('optedOut', { date: new Date(inv.optOut.at).toLocaleString(LOCALE) }) : t('subscribed')],
  ];
  for (const [label, value] of pairs) dl.append(el('dt', {}, label), el('dd', {}, value || t('none')));
  return dl;
};

/** One invitation in a dialog: its details, answers and history; resend, badge. Returns what the editor needs: the invitation shown, and a reload. */
export const invitationDetail = (api: OrganizerApi) => {
  const dialog = byId<HTMLDialogElement>('detail');
  const body = byId('detail-body');
  const title = byId('detail-title');
  const status = byId('detail-status');
  let openId: string | undefined;
  let shown: InvitationDetail | undefined;
  const listeners: Array<(inv: InvitationDetail | undefined) => void> = [];

  const open = async (id: string) => {
    openId = id;
    shown = undefined;
    for (const l of listeners) l(undefined);
    clear(body).appendChild(el('p', {}, t('loading')));
    status.textContent = '';
    title.textContent = t('loading');
    if (typeof dialog.showModal === 'function') dialog.showModal();
    else dialog.setAttribute('open', '');
    try {
      const inv = await api.invitation(id);
      shown = inv;
      for (const l of listeners) l(inv);
      title.textContent = inv.name;
      clear(body).append(summary(inv), el('h3', {}, t('historyHeading')));
      if (!inv.history.length) body.appendChild(el('p', {}, t('noHistory')));
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
  // One click, one email: the button waits for the answer, and a resend the API refuses as too soon says when it may go.
  const resendButton = byId<HTMLButtonElement>('detail-resend');
  resendButton.addEventListener('click', () => {
    if (!openId || resendButton.disabled) return;
    resendButton.disabled = true;
    api
      .resend(openId)
      .then(
        () => (status.textContent = t('resent')),
        (err: unknown) =>
          (status.textContent = err instanceof ApiError && err.body.error === 'resend_too_soon' ? t('resendTooSoon', { seconds: err.retryAfterSeconds ?? 60 }) : failure(err)),
      )
      .finally(() => (resendButton.disabled = false));
  });
  byId('detail-badge').addEventListener('click', () => {
    if (!openId) return;
    openLink(api.badgeLink(openId)).catch((err: unknown) => (status.textContent = failure(err)));
  });
  return {
    /** The invitation the dialog shows, once loaded. */
    current: () => shown,
    /** Loads the shown invitation again (after a change, or a stale version). */
    reload: () => (openId ? open(openId) : Promise.resolve()),
    /** Called with each invitation the dialog shows (undefined while loading). */
    onShow: (listener: (inv: InvitationDetail | undefined) => void) => listeners.push(listener),
  };
};
