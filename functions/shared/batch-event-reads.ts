import type { EventRecord } from '#domain/ports.js';

/**
 * A store whose `getEvent` reads each event once per batch of queue messages; everything else is
 * the store's own. The SQS worker calls `newBatch` as each invocation begins.
 *
 * Every message of a batch was queued before the batch began, so a read made after that sees
 * every edit committed before any message's cause. An edit committed while the batch runs reaches
 * those invitees by its own notice, as it does past a read made per message a moment before it.
 * An email worker's batch of ten then reads the event (definition, sessions, counters) once, not
 * ten times.
 */
export const eventReadsPerBatch = <S extends { getEvent(eventId: string): Promise<EventRecord | undefined> }>(store: S) => {
  const reads = new Map<string, Promise<EventRecord | undefined>>();
  const getEvent = (eventId: string): Promise<EventRecord | undefined> => {
    const kept = reads.get(eventId);
    if (kept) return kept;
    const read = store.getEvent(eventId);
    reads.set(eventId, read);
    // A failed read is not kept: the next message of the batch reads again.
    read.catch(() => reads.get(eventId) === read && reads.delete(eventId));
    return read;
  };
  // Every other property is the store's own, read and written through to it.
  const perBatch = new Proxy(store, { get: (target, property) => (property === 'getEvent' ? getEvent : Reflect.get(target, property, target)) });
  return { store: perBatch, newBatch: () => reads.clear() };
};
