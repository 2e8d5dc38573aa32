import type { EventDefinition } from '../../functions/domain/model.js';
import { zonedLocalToUtc } from '../../functions/domain/time.js';

const DAY_MS = 86_400_000;

/** Adds whole days to a local `YYYY-MM-DDTHH:mm`, keeping the wall-clock time. */
export const addDaysLocal = (local: string, days: number): string => {
  const [date, time] = local.split('T') as [string, string];
  const shifted = new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
  return `${shifted}T${time}`;
};

/**
 * Moves an event forward by whole weeks so that its RSVP deadline lies at least `leadDays` ahead of
 * `now`: same weekdays, same local times, deadline still before the first session. Used where the
 * 2019 summit is seeded for a demo; the seed file itself keeps the brief's dates.
 */
export const shiftEventForward = (event: EventDefinition, now: Date, leadDays = 14): { event: EventDefinition; shiftedByDays: number } => {
  const deadline = zonedLocalToUtc(event.rsvpDeadline, event.timezone).getTime();
  const wanted = now.getTime() + leadDays * DAY_MS;
  if (deadline >= wanted) return { event, shiftedByDays: 0 };
  const days = Math.ceil((wanted - deadline) / (7 * DAY_MS)) * 7;
  return {
    shiftedByDays: days,
    event: {
      ...event,
      rsvpDeadline: addDaysLocal(event.rsvpDeadline, days),
      sessions: event.sessions.map((s) => ({ ...s, start: addDaysLocal(s.start, days), end: addDaysLocal(s.end, days) })),
    },
  };
};
