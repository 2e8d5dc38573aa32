/** The most texts a cache keeps for one owner before it starts again (a bound, not a tuning). */
const MAX_TEXTS = 10_000;

/**
 * A value worked out once per process for an owner (a parsed font) and a text. Most of a badge's
 * text (event, dates, labels, sessions) repeats on every badge, and shaping, measuring or cleaning
 * it depends on nothing else. The owner is held weakly; past MAX_TEXTS a cache starts again.
 */
export function perText<O extends object, T>(caches: WeakMap<O, Map<string, T>>, owner: O, text: string, make: () => T): T {
  let cache = caches.get(owner);
  if (!cache) {
    cache = new Map();
    caches.set(owner, cache);
  }
  let value = cache.get(text);
  if (value === undefined) {
    value = make();
    if (cache.size > MAX_TEXTS) cache.clear();
    cache.set(text, value);
  }
  return value;
}
