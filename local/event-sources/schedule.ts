/**
 * EventBridge schedule expressions: `rate(5 minutes)` and six-field `cron(...)` with `*`, `?`,
 * numbers, names, ranges, lists and steps. `L`, `W` and `#` stop start-up by name.
 */
export class UnsupportedScheduleError extends Error {
  constructor(expression: string, detail: string) {
    super(`schedule ${expression}: ${detail} is not emulated locally`);
    this.name = 'UnsupportedScheduleError';
  }
}

export type Schedule = { kind: 'rate'; everyMs: number } | { kind: 'cron'; fields: Array<Set<number> | null> };

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
// minutes, hours, day-of-month, month, day-of-week (1 = SUN), year
const RANGES: Array<[number, number]> = [
  [0, 59],
  [0, 23],
  [1, 31],
  [1, 12],
  [1, 7],
  [1970, 2199],
];

const parseField = (text: string, index: number, expression: string): Set<number> | null => {
  if (text === '*' || text === '?') return null;
  if (/[LW#]/.test(text)) throw new UnsupportedScheduleError(expression, `"${text}"`);
  const [lo, hi] = RANGES[index];
  const value = (v: string) => {
    const upper = v.toUpperCase();
    if (index === 3 && MONTHS.includes(upper)) return MONTHS.indexOf(upper) + 1;
    if (index === 4 && DAYS.includes(upper)) return DAYS.indexOf(upper) + 1;
    const n = Number(v);
    if (!Number.isInteger(n) || n < lo || n > hi) throw new UnsupportedScheduleError(expression, `value "${v}"`);
    return n;
  };
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText] = part.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new UnsupportedScheduleError(expression, `step "${part}"`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [lo, hi];
    else if (range.includes('-')) [from, to] = range.split('-').map(value) as [number, number];
    else [from, to] = [value(range), stepText === undefined ? value(range) : hi];
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
};

export const parseSchedule = (expression: string): Schedule => {
  const rate = /^rate\((\d+)\s+(minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2].startsWith('minute') ? 60_000 : rate[2].startsWith('hour') ? 3_600_000 : 86_400_000;
    return { kind: 'rate', everyMs: n * unit };
  }
  const cron = /^cron\((.+)\)$/.exec(expression.trim());
  if (!cron) throw new UnsupportedScheduleError(expression, 'this expression');
  const parts = cron[1].trim().split(/\s+/);
  if (parts.length !== 6) throw new UnsupportedScheduleError(expression, 'a cron without six fields');
  return { kind: 'cron', fields: parts.map((p, i) => parseField(p, i, expression)) };
};

/** True when a cron schedule fires at this minute (UTC, as EventBridge rules do). */
export const cronMatches = (fields: Array<Set<number> | null>, d: Date): boolean => {
  const values = [d.getUTCMinutes(), d.getUTCHours(), d.getUTCDate(), d.getUTCMonth() + 1, d.getUTCDay() + 1, d.getUTCFullYear()];
  return fields.every((f, i) => f === null || f.has(values[i]));
};

/** Calls `fire` on the schedule until the returned stop function is called. */
export const runSchedule = (schedule: Schedule, fire: () => void): (() => void) => {
  if (schedule.kind === 'rate') {
    const t = setInterval(fire, schedule.everyMs);
    t.unref();
    return () => clearInterval(t);
  }
  let last = -1;
  const t = setInterval(() => {
    const now = new Date();
    const minute = Math.floor(now.getTime() / 60_000);
    if (minute !== last && cronMatches(schedule.fields, now)) {
      last = minute;
      fire();
    }
  }, 10_000);
  t.unref();
  return () => clearInterval(t);
};
