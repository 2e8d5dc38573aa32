/**
 * Waitlist tickets. A ticket is the moment a place was asked for, in microseconds since the epoch,
 * with a random tail within the millisecond: lower tickets asked first, across every function
 * instance (their clocks are synchronised far closer than people answer). Taking one writes
 * nothing, so a full session's answers contend for its counter only once, in their commit; the
 * commit's condition that the place is new keeps tickets unique per session, and the rare
 * collision is retried like any concurrent change. Tickets before this scheme counted from 1 and
 * still sort first (the waitlist's sort key pads to 10 digits; these have 16).
 */
export class WaitlistTickets {
  private last = 0;
  constructor(private readonly random: () => number = Math.random) {}

  /** A ticket later than every one this instance took before. */
  next(now: Date): number {
    this.last = Math.max(this.last + 1, now.getTime() * 1000 + Math.floor(this.random() * 1000));
    return this.last;
  }
}
