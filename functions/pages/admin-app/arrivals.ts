import type { ArrivalsReport } from '#domain/checkin/service.js';
import type { OrganizerApi } from './api.js';
import { byId, clear, el } from './dom.js';
import { categoryName, LANGUAGE, LOCALE, listOf, t } from './messages.js';

const time = new Intl.DateTimeFormat(LOCALE, { weekday: 'short', hour: '2-digit', minute: '2-digit', second: '2-digit' });

/**
 * check-in: arrivals per session (who, when, at which door), the confirmed who have not arrived,
 * and arrivals admitted at two doors while offline (recorded once, every scan kept), refreshed
 * with the capacity bars.
 */
export const arrivalsView = (api: OrganizerApi, onError: (err: unknown) => void) => {
  const body = byId('arrivals-body');
  const draw = (report: ArrivalsReport) => {
    clear(body);
    for (const session of report.sessions) {
      const name = report.event.sessions.find((s) => s.id === session.id)?.name[LANGUAGE] ?? session.id;
      const expected = session.arrivals.length + session.noShows.length;
      const rows = session.arrivals.map((a) =>
        el(
          'tr',
          { 'data-holder': `${a.i}/${a.h}`, 'data-conflict': String(a.conflict), 'data-scans': a.scans.length },
          el('td', {}, a.name),
          el('td', {}, a.delegation ?? ''),
          el('td', {}, a.category ? (report.event.categories.find((c) => c.id === a.category)?.name[LANGUAGE] ?? categoryName(a.category)) : ''),
          el('td', {}, time.format(new Date(a.at))),
          el('td', {}, a.door),
          el('td', {}, a.conflict ? t('checkin.conflict', { doors: listOf([...new Set(a.scans.map((s) => s.door))]) }) : ''),
        ),
      );
      body.appendChild(
        el(
          'div',
          { class: 'arrivals-session', 'data-session': session.id, 'data-arrived': session.arrivals.length, 'data-noshows': session.noShows.length },
          el('h3', {}, name),
          el(
            'p',
            {},
            t('checkin.arrived', { arrived: session.arrivals.length, expected }),
            ' · ',
            t('checkin.noShows', { count: session.noShows.length }),
            session.conflicts ? ` · ${t('checkin.conflicts', { count: session.conflicts })}` : '',
          ),
          rows.length
            ? el(
                'div',
                { class: 'table-wrap' },
                el(
                  'table',
                  { class: 'compact' },
                  el(
                    'thead',
                    {},
                    el(
                      'tr',
                      {},
                      el('th', { scope: 'col' }, t('colName')),
                      el('th', { scope: 'col' }, t('checkin.colDelegation')),
                      el('th', { scope: 'col' }, t('categoryFilter')),
                      el('th', { scope: 'col' }, t('checkin.colTime')),
                      el('th', { scope: 'col' }, t('checkin.colDoor')),
                      el('th', { scope: 'col' }, t('checkin.colConflict')),
                    ),
                  ),
                  el('tbody', {}, rows),
                ),
              )
            : el('p', { class: 'hint' }, t('checkin.noArrivals')),
          session.noShows.length
            ? el('details', {}, el('summary', {}, t('checkin.noShows', { count: session.noShows.length })), el('p', {}, listOf(session.noShows.map((p) => p.name))))
            : false,
        ),
      );
    }
  };
  return {
    refresh: () =>
      api
        .arrivals()
        .then(draw)
        .catch((err: unknown) => {
          // Roles without the route (door) simply do not see arrivals.
          if ((err as { status?: number }).status === 403) return;
          onError(err);
        }),
  };
};
