import { describe, expect, it } from 'vitest';
import type { EventRecord } from '#domain/ports.js';
import { eventReadsPerBatch } from '#shared/batch-event-reads.js';

/** A store that counts its reads and keeps state of its own, as the adapters do. */
class CountingStore {
  reads: string[] = [];
  failNext = false;
  lookups = 0;
  async getEvent(eventId: string): Promise<EventRecord | undefined> {
    this.reads.push(eventId);
    if (this.failNext) {
      this.failNext = false;
      throw new Error('throttled');
    }
    return { definition: { id: eventId } as EventRecord['definition'], sessions: [] };
  }
  async getInvitation(eventId: string, invitationId: string) {
    this.lookups += 1;
    return { eventId, invitationId };
  }
}

describe('eventReadsPerBatch', () => {
  it('reads each event once per batch, concurrent asks included, and again in the next batch', async () => {
    const store = new CountingStore();
    const { store: perBatch, newBatch } = eventReadsPerBatch(store);
    newBatch();
    const [a, b] = await Promise.all([perBatch.getEvent('summit'), perBatch.getEvent('summit')]);
    await perBatch.getEvent('other');
    expect(a).toBe(b);
    expect(store.reads).toEqual(['summit', 'other']);
    newBatch();
    await perBatch.getEvent('summit');
    expect(store.reads).toEqual(['summit', 'other', 'summit']);
  });

  it('does not keep a failed read: the next message reads again', async () => {
    const store = new CountingStore();
    const { store: perBatch } = eventReadsPerBatch(store);
    store.failNext = true;
    await expect(perBatch.getEvent('summit')).rejects.toThrow('throttled');
    await expect(perBatch.getEvent('summit')).resolves.toMatchObject({ definition: { id: 'summit' } });
    expect(store.reads).toEqual(['summit', 'summit']);
  });

  it('leaves every other method to the store, on the store’s own state', async () => {
    const store = new CountingStore();
    const { store: perBatch } = eventReadsPerBatch(store);
    await expect(perBatch.getInvitation('summit', 'inv_1')).resolves.toEqual({ eventId: 'summit', invitationId: 'inv_1' });
    await perBatch.getInvitation('summit', 'inv_2');
    expect(store.lookups).toBe(2);
    expect(Object.hasOwn(store, 'lookups') && perBatch.lookups).toBe(2);
  });
});
