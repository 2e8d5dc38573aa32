/**
 * The subset of EventBridge-style filter patterns Lambda event source mappings accept that the local
 * cloud evaluates: exact values, `prefix`, `exists` and `anything-but` (a value, a list, or a prefix).
 * Any other operator stops start-up by name, so a filter never silently lets everything through.
 */
export class UnsupportedFilterError extends Error {
  constructor(
    readonly operator: string,
    readonly where: string,
  ) {
    super(`${where}: filter operator ${operator} is not emulated locally (supported: exact values, prefix, exists, anything-but)`);
    this.name = 'UnsupportedFilterError';
  }
}

export type FilterPattern = { [key: string]: FilterPattern | Matcher[] };
type Scalar = string | number | boolean | null;
type Matcher = Scalar | { prefix: string } | { exists: boolean } | { 'anything-but': Scalar | Scalar[] | { prefix: string } };

const isScalar = (v: unknown): v is Scalar => v === null || ['string', 'number', 'boolean'].includes(typeof v);

/** Parses one `FilterCriteria.Filters[].Pattern` and checks every operator it uses is supported. */
export const parsePattern = (json: string, where: string): FilterPattern => {
  let pattern: unknown;
  try {
    pattern = JSON.parse(json);
  } catch {
    throw new UnsupportedFilterError('(unparseable JSON)', where);
  }
  validate(pattern, where);
  return pattern as FilterPattern;
};

const validate = (node: unknown, where: string): void => {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) throw new UnsupportedFilterError(JSON.stringify(node), where);
  for (const [key, value] of Object.entries(node)) {
    const w = `${where}.${key}`;
    if (key === '$or') throw new UnsupportedFilterError('$or', w);
    if (Array.isArray(value)) value.forEach((m, i) => validateMatcher(m, `${w}[${i}]`));
    else validate(value, w);
  }
};

const validateMatcher = (m: unknown, where: string): void => {
  if (isScalar(m)) return;
  if (typeof m !== 'object' || Array.isArray(m)) throw new UnsupportedFilterError(JSON.stringify(m), where);
  const keys = Object.keys(m);
  if (keys.length !== 1) throw new UnsupportedFilterError(JSON.stringify(m), where);
  const [op] = keys as [string];
  const arg = (m as Record<string, unknown>)[op];
  if (op === 'prefix' && typeof arg === 'string') return;
  if (op === 'exists' && typeof arg === 'boolean') return;
  if (op === 'anything-but') {
    if (isScalar(arg) || (Array.isArray(arg) && arg.every(isScalar))) return;
    if (arg && typeof arg === 'object' && Object.keys(arg).join() === 'prefix' && typeof (arg as { prefix: unknown }).prefix === 'string') return;
    throw new UnsupportedFilterError(`anything-but ${JSON.stringify(arg)}`, where);
  }
  throw new UnsupportedFilterError(op, where);
};

const leafMatches = (matcher: Matcher, value: unknown, presentField: boolean): boolean => {
  // Matchers apply to leaves only: an object where a leaf is expected counts as absent.
  const present = presentField && !(value !== null && typeof value === 'object');
  if (isScalar(matcher)) return present && value === matcher;
  if ('exists' in matcher) return matcher.exists === present;
  if (!present) return false;
  if ('prefix' in matcher) return typeof value === 'string' && value.startsWith(matcher.prefix);
  const but = matcher['anything-but'];
  if (Array.isArray(but)) return !but.includes(value as Scalar);
  if (but !== null && typeof but === 'object') return !(typeof value === 'string' && value.startsWith(but.prefix));
  return value !== but;
};

const matchesNode = (pattern: FilterPattern, data: unknown): boolean =>
  Object.entries(pattern).every(([key, sub]) => {
    const present = data !== null && typeof data === 'object' && key in data;
    const value = present ? (data as Record<string, unknown>)[key] : undefined;
    if (Array.isArray(sub)) {
      // An array field matches when any of its elements does (EventBridge semantics).
      const values = Array.isArray(value) ? value : [value];
      if (Array.isArray(value) && value.length === 0) return sub.some((m) => leafMatches(m, undefined, false));
      return sub.some((m) => values.some((v) => leafMatches(m, v, present)));
    }
    return matchesNode(sub, value);
  });

/** True when `data` matches the pattern. */
export const matches = (pattern: FilterPattern, data: unknown): boolean => matchesNode(pattern, data);

/** Lambda keeps a record when any filter of the mapping matches; no filters keep everything. */
export const matchesAny = (patterns: FilterPattern[], data: unknown): boolean => patterns.length === 0 || patterns.some((p) => matches(p, data));

/** What an SQS filter sees: the message with its body parsed when it is JSON (Lambda does the same). */
export const sqsFilterView = (record: { body: string } & Record<string, unknown>): unknown => {
  try {
    return { ...record, body: JSON.parse(record.body) as unknown };
  } catch {
    return record;
  }
};
