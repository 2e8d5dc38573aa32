import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Clearance, Scan } from '#domain/checkin/door.js';
import type { DoorPackage } from '#domain/checkin/service.js';

/** A scan kept on the device: what is uploaded, plus who it named (for duplicates and the list). */
export interface QueuedScan extends Scan {
  eventId: string;
  i?: string;
  h?: string;
  name?: string;
  /** 1 once the server has it (recorded or already there); 0 while queued; -1 never uploaded (no valid credential). */
  state: 1 | 0 | -1;
}

export interface SavedPackage {
  eventId: string;
  pkg: DoorPackage;
  clearances?: Array<{ i: string; h: string; clearance: Clearance }>;
  savedAt: string;
}

interface CheckinDb extends DBSchema {
  packages: { key: string; value: SavedPackage };
  scans: { key: string; value: QueuedScan; indexes: { byEventState: [string, number] } };
  settings: { key: string; value: string };
}

let db: Promise<IDBPDatabase<CheckinDb>> | undefined;
const open = () =>
  (db ??= openDB<CheckinDb>('cumbre-checkin', 1, {
    upgrade(d) {
      d.createObjectStore('packages', { keyPath: 'eventId' });
      d.createObjectStore('scans', { keyPath: 'id' }).createIndex('byEventState', ['eventId', 'state']);
      d.createObjectStore('settings');
    },
  }));

export const store = {
  getPackage: async (eventId: string) => (await open()).get('packages', eventId),
  putPackage: async (saved: SavedPackage) => void (await open()).put('packages', saved),
  addScan: async (scan: QueuedScan) => void (await open()).put('scans', scan),
  scans: async (eventId: string) => (await (await open()).getAll('scans')).filter((s) => s.eventId === eventId),
  queued: async (eventId: string) => (await open()).getAllFromIndex('scans', 'byEventState', [eventId, 0]),
  markUploaded: async (ids: string[]) => {
    const tx = (await open()).transaction('scans', 'readwrite');
    for (const id of ids) {
      const scan = await tx.store.get(id);
      if (scan) await tx.store.put({ ...scan, state: 1 });
    }
    await tx.done;
  },
  setting: async (key: string) => (await open()).get('settings', key),
  setSetting: async (key: string, value: string) => void (await open()).put('settings', value, key),
};
