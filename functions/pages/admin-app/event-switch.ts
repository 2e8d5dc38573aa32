import type { EventList } from '#domain/organizer-api.js';
import { byId } from './dom.js';
import { EVENT_ID, inPageOrder, LANGUAGE } from './messages.js';

/**
 * The events a person holds a role in (admin: every event), by name in the page's language: a
 * plain GET form to `?lang=…&event=…`, shown only when there is another event to open. The page
 * stays usable without it; the address of an event still works.
 */
export const drawEventSwitch = ({ events }: EventList) => {
  const form = byId<HTMLFormElement>('event-switch');
  const select = byId<HTMLSelectElement>('event-switch-select');
  const sorted = inPageOrder(events, (e) => e.name[LANGUAGE]);
  select.replaceChildren(...sorted.map((e) => new Option(e.name[LANGUAGE], e.id, false, e.id === EVENT_ID)));
  form.dataset.events = String(events.length);
  form.hidden = !events.some((e) => e.id !== EVENT_ID);
};
