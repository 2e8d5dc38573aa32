import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms`, or less when the poller is stopped: an abort ends the wait instead of throwing. */
export const sleep = (ms: number, signal: AbortSignal): Promise<void> => delay(ms, undefined, { signal }).catch(() => undefined);
