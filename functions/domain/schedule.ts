/** Sessions with wall-clock `start`/`end` in one zone (`2019-06-07T13:00`): such strings compare as times. */
interface Timed {
  id: string;
  start: string;
  end: string;
}

/**
 * For each session, the others it shares time with (the President's session inside a working
 * day), in start order, so pages and emails can say so beside both.
 */
export const overlapsOf = <S extends Timed>(sessions: readonly S[]): Map<string, S[]> => {
  const sorted = [...sessions].sort((a, b) => a.start.localeCompare(b.start));
  return new Map(sessions.map((s) => [s.id, sorted.filter((o) => o.id !== s.id && o.start < s.end && s.start < o.end)]));
};
