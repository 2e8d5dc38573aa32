import { describe, expect, it } from 'vitest';
import { WaitlistTickets } from '#domain/rsvp/tickets.js';

describe('waitlist tickets', () => {
  const at = (iso: string) => new Date(iso);

  it('are the moment asked, in microseconds, with a random tail within the millisecond', () => {
    const tickets = new WaitlistTickets(() => 0.4567);
    expect(tickets.next(at('2019-05-01T12:00:00.000Z'))).toBe(Date.parse('2019-05-01T12:00:00.000Z') * 1000 + 456);
  });

  it('only ever rise within an instance, even when the clock stands still or steps back', () => {
    const tails = [0.9, 0.1, 0.5, 0.0];
    const tickets = new WaitlistTickets(() => tails.shift() ?? 0);
    const taken = [
      tickets.next(at('2019-05-01T12:00:00.000Z')),
      tickets.next(at('2019-05-01T12:00:00.000Z')),
      tickets.next(at('2019-05-01T11:59:59.000Z')),
      tickets.next(at('2019-05-01T12:00:00.002Z')),
    ];
    expect(taken).toEqual([...taken].sort((a, b) => a - b));
    expect(new Set(taken).size).toBe(4);
    expect(taken[3]).toBe(Date.parse('2019-05-01T12:00:00.002Z') * 1000);
  });

  it('stay exact integers and sort after the counted tickets of before (10-digit padded keys)', () => {
    const ticket = new WaitlistTickets(() => 0.999).next(at('2199-12-31T23:59:59.999Z'));
    expect(Number.isSafeInteger(ticket)).toBe(true);
    expect(String(ticket) > String(9_999_999).padStart(10, '0')).toBe(true);
  });
});
