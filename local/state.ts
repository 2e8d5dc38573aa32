import path from 'node:path';
import type { Log } from './log.js';
import type { CognitoState } from './resources.js';
import { readStateFile, writeFileAtomic } from './state-files.js';

export interface CustomResourceState {
  propertiesHash: string;
  physicalResourceId: string;
  data: Record<string, unknown>;
  properties: Record<string, unknown>;
}

/**
 * `<dataDir>/state.json`: the ids emulators gave the template's resources (user pools, clients),
 * what custom resources answered, and whatever the bootstrap keeps under its own keys.
 */
export interface LocalState {
  cognito: CognitoState;
  customResources: Record<string, CustomResourceState>;
  [bootstrapKey: string]: unknown;
}

export class StateStore {
  private writing: Promise<void> = Promise.resolve();

  private constructor(
    private readonly file: string,
    readonly state: LocalState,
  ) {}

  static async load(dataDir: string, log: Log): Promise<StateStore> {
    const file = path.join(dataDir, 'state.json');
    const empty: LocalState = { cognito: { pools: {}, clients: {} }, customResources: {} };
    const state = await readStateFile(file, empty, log, 'starting with fresh ids: user pools and custom resources are created again');
    return new StateStore(file, { ...empty, ...state });
  }

  /** Writes the whole state atomically; saves never interleave. */
  save(): Promise<void> {
    this.writing = this.writing.catch(() => undefined).then(() => writeFileAtomic(this.file, JSON.stringify(this.state, null, 2)));
    return this.writing;
  }
}
