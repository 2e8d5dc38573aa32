import { paginateQuery, paginateScan, type DynamoDBDocumentClient, type NativeAttributeValue, type QueryCommandInput, type ScanCommandInput } from '@aws-sdk/lib-dynamodb';

/** An item as the document client gives it. */
type Item = Record<string, NativeAttributeValue>;

/** Every item a Query matches, over all its pages (lib-dynamodb's paginator follows `LastEvaluatedKey`). */
export const queryAll = async (doc: DynamoDBDocumentClient, input: QueryCommandInput): Promise<Item[]> => {
  const items: Item[] = [];
  for await (const page of paginateQuery({ client: doc }, input)) items.push(...(page.Items ?? []));
  return items;
};

/** How many items a Query matches, over all its pages (`Select: 'COUNT'`: DynamoDB still reads them, but returns none). */
export const countAll = async (doc: DynamoDBDocumentClient, input: Omit<QueryCommandInput, 'Select'>): Promise<number> => {
  let count = 0;
  for await (const page of paginateQuery({ client: doc }, { ...input, Select: 'COUNT' })) count += page.Count ?? 0;
  return count;
};

/** Every item a Scan returns, over all its pages. */
export const scanAll = async (doc: DynamoDBDocumentClient, input: ScanCommandInput): Promise<Item[]> => {
  const items: Item[] = [];
  for await (const page of paginateScan({ client: doc }, input)) items.push(...(page.Items ?? []));
  return items;
};
