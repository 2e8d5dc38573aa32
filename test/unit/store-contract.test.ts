import { describeCumbreStoreContract } from '../fixtures/store-contract.js';
import { MemoryStore } from '../fixtures/memory-store.js';

describeCumbreStoreContract('in-memory', () => new MemoryStore());
