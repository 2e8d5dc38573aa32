import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { describeCumbreStoreContract } from '../fixtures/store-contract.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';

let table: Promise<string> | undefined;
// Accreditation data lives in a table of its own, as in the stack.
let accreditation: Promise<string> | undefined;
const client = dynamoClient();

describeCumbreStoreContract(
  'DynamoDB Local',
  async () => new DynamoCumbreStore(documentClient(client), await (table ??= createTestTable(client)), await (accreditation ??= createTestTable(client))),
);
