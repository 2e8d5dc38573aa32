import type { CapacityReport, SessionCapacity, Tally } from '#domain/organizer-api.js';
import type { OrganizerApi } from './api.js';
import { byId, clear, el, show, svg } from './dom.js';
import { categoryName, countryName, LANGUAGE, LOCALE, sessionName, setEvent, t } from './messages.js';

interface BarPart {
  name: 'confirmed' | 'free' | 'waitlisted' | 'other';
  value: number;
}
const COLORS: Record<BarPart['name'], string> = { confirmed: '#1a7f37', waitlisted: '#b35900', free: '#d0d5dc', other: '#e7eaee' };

/** One stacked bar: its parts drawn to scale, named for assistive technology by `label`. */
const bar = (parts: BarPart[], label: string): SVGSVGElement => {
  const total = parts.reduce((t, p) => t + p.value, 0) || 1;
  let x = 0;
  const g = svg(
    'svg',
    { viewBox: '0 0 100 8', preserveAspectRatio: 'none', width: '100%', height: '24', role: 'img', 'aria-label': label, focusable: 'false' },
    svg('title', {}, label),
  );
  for (const p of parts) {
    if (!p.value) continue;
    const w = (p.value / total) * 100;
    g.appendChild(svg('rect', { x: x.toFixed(3), y: 0, width: w.toFixed(3), height: 8, fill: COLORS[p.name], 'data-part': p.name, 'data-value': p.value }));
    x += w;
  }
  return g;
};

/**
 * Capacity per session (confirmed, free, then waitlisted seats beyond capacity) and, for the chosen
 * session, the parties by category and by country. Refreshed on a timer while the tab is visible.
 */
export const capacityView = (api: OrganizerApi, onError: (err: unknown) => void) => {
  let last: CapacityReport | undefined;
  const select = byId<HTMLSelectElement>('capacity-session');

  const drawBreakdown = () => {
    const s: SessionCapacity | undefined = last?.sessions.find((x) => x.sessionId === select.value) ?? last?.sessions[0];
    if (!s) return;
    const tallies: Array<[string, Record<string, Tally>, (key: string) => string]> = [
      ['capacity-category', s.byCategory, (k) => categoryName(k)],
      ['capacity-country', s.byCountry, countryName],
    ];
    for (const [id, byKey, nameOf] of tallies) {
      const node = clear(byId(id));
      const keys = Object.keys(byKey).sort((a, b) => nameOf(a).localeCompare(nameOf(b), LOCALE));
      const sum = (t: Tally) => t.confirmed + t.waitlisted + t.declined + t.pending;
      const max = keys.reduce((m, k) => Math.max(m, sum(byKey[k])), 1);
      for (const k of keys) {
        const tally = byKey[k];
        const label = t('labelled', { label: nameOf(k), text: t('breakdown', { ...tally }) });
        node.appendChild(
          el(
            'div',
            { 'data-key': k },
            el('p', { class: 'bar-label' }, label),
            bar(
              [
                { name: 'confirmed', value: tally.confirmed },
                { name: 'waitlisted', value: tally.waitlisted },
                { name: 'other', value: tally.declined + tally.pending + (max - sum(tally)) },
              ],
              label,
            ),
          ),
        );
      }
    }
  };

  const draw = (report: CapacityReport) => {
    last = report;
    setEvent(report.event, [...new Set(report.sessions.flatMap((s) => Object.keys(s.byCountry)))]);
    byId('event-name').textContent = report.event.name[LANGUAGE];
    show(byId('event-line'), true);
    const bars = clear(byId('capacity-bars'));
    for (const s of report.sessions) {
      const summary = t('seatsSummary', { confirmed: s.confirmed, waitlisted: s.waitlistedSeats, free: s.free, capacity: s.capacity });
      bars.appendChild(
        el(
          'div',
          { class: 'capacity-session', 'data-session': s.sessionId },
          el('p', { class: 'bar-label' }, el('strong', {}, sessionName(s.sessionId)), ' — ', summary),
          bar(
            [
              { name: 'confirmed', value: s.confirmed },
              { name: 'free', value: s.free },
              { name: 'waitlisted', value: s.waitlistedSeats },
            ],
            t('labelled', { label: sessionName(s.sessionId), text: summary }),
          ),
        ),
      );
    }
    const chosen = select.value;
    if (select.options.length !== report.sessions.length || !select.options[0]?.text) {
      clear(select);
      for (const s of report.sessions) select.appendChild(el('option', { value: s.sessionId }, sessionName(s.sessionId)));
      if (chosen) select.value = chosen;
    }
    drawBreakdown();
    byId('capacity-updated').textContent = t('updatedAt', { time: new Date().toLocaleTimeString(LOCALE) });
  };

  select.addEventListener('change', drawBreakdown);

  return {
    /** Redraws from the API; `force` also when the tab is hidden (the first load, after an import). */
    refresh: async (force = false): Promise<boolean> => {
      if (document.hidden && !force) return false;
      return api.capacity().then(
        (report) => (draw(report), true),
        (err: unknown) => (onError(err), false),
      );
    },
  };
};
