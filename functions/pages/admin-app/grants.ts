import { groupName, ROLES, type EventRole, type Grant } from '#domain/access/roles.js';
import { el } from './dom.js';
import { EVENT_ID, eventNameOf, inPageOrder, knownEvents, t } from './messages.js';

/**
 * A person's roles as words and choices, never as group codes: a line per role with the role and,
 * unless it is administration (every event), the event by its name. Admin picks from lists; the API
 * still checks every grant (an event that does not exist is refused, in the section's words).
 */

/** A grant in words: "Seguridad (Cumbre de Alcaldes…)", "Administración (todos los eventos)". */
export const grantWords = (grant: Grant) =>
  t('roleIn', { role: t('role.name', { role: grant.role }), event: grant.role === 'admin' ? t('everyEvent') : eventNameOf(grant.eventId) });

/** Where a new line starts: the least a role gives (viewer), in the event this dashboard shows. */
const newGrant = (): Grant => ({ role: 'viewer', eventId: EVENT_ID });

/** Fills an event list by name in the page's language, keeping `chosen` (this event when none is). */
const fillEvents = (select: HTMLSelectElement, chosen: string) => {
  const id = chosen || EVENT_ID;
  const events = [...new Set([...knownEvents(), id])].map((e) => ({ id: e, name: eventNameOf(e) }));
  select.replaceChildren(...inPageOrder(events, (e) => e.name).map((e) => new Option(e.name, e.id, false, e.id === id)));
};

/**
 * The editor: `who` names the person in each control's accessible name ("Role, ana@…"); `grants`
 * are the lines it starts with. `value()` reads the lines back as grants, each once; `refresh()`
 * names the events again once admin's list of them has come.
 */
export const grantsEditor = (who: string, grants: Grant[]) => {
  const list = el('ul', { class: 'grants' });
  const labelled = (key: 'grantRole' | 'grantEvent' | 'grantRemove') => (who ? `${t(key)}, ${who}` : t(key));
  const line = (grant: Grant) => {
    const role = el('select', { 'aria-label': labelled('grantRole'), 'data-grant': 'role' });
    for (const r of ROLES) role.add(new Option(t('role.name', { role: r }), r, false, r === grant.role));
    const event = el('select', { 'aria-label': labelled('grantEvent'), 'data-grant': 'event' });
    fillEvents(event, grant.role === 'admin' ? '' : grant.eventId);
    // Administration holds every event: the line says so where the event would be chosen.
    const every = el('p', { class: 'every meta' }, t('everyEvent'));
    const scope = () => {
      event.hidden = role.value === 'admin';
      every.hidden = !event.hidden;
    };
    scope();
    role.addEventListener('change', scope);
    const remove = el('button', { type: 'button', class: 'secondary', 'data-grant': 'remove', 'aria-label': labelled('grantRemove') }, t('grantRemove'));
    const item = el('li', {}, role, event, every, remove);
    remove.addEventListener('click', () => {
      item.remove();
      add.focus();
    });
    return item;
  };
  const add = el('button', { type: 'button', class: 'secondary', 'data-grant': 'add' }, t('grantAdd'));
  add.addEventListener('click', () => {
    const item = line(newGrant());
    list.appendChild(item);
    item.querySelector('select')!.focus();
  });
  list.append(...grants.map(line));

  const selects = () => [...list.querySelectorAll('li')].map((li) => li.querySelectorAll('select'));
  return {
    node: el('div', {}, list, add),
    value: (): Grant[] => {
      const read = selects().map(([role, event]): Grant => (role.value === 'admin' ? { role: 'admin' } : { role: role.value as EventRole, eventId: event.value }));
      return [...new Map(read.map((g) => [groupName(g), g])).values()];
    },
    refresh: () => {
      for (const [, event] of selects()) fillEvents(event, event.value);
    },
    reset: () => list.replaceChildren(line(newGrant())),
  };
};
