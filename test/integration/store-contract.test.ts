import { DynamoCumbreStore, documentClient } from '#adapters/dynamo-store.js';
import { describeCumbreStoreContract } from '../fixtures/store-contract.js';
import { createTestTable, dynamoClient } from '../support/dynamo.js';

let table: Promise<string> | undefined;
const client = dynamoClient();

describeCumbreStoreContract('DynamoDB Local', async () => new DynamoCumbreStore(documentClient(client), await (table ??= createTestTable(client))));
