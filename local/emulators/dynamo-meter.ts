import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the functions asked of DynamoDB since the meter started. */
export interface DynamoMeterReading {
  /** Requests by operation (`GetItem`, `TransactWriteItems`, …), failed ones included. */
  requests: Record<string, number>;
  /** Capacity units DynamoDB Local reported for reads (GetItem, BatchGetItem, Query, Scan, TransactGetItems). */
  readUnits: number;
  /** Capacity units it reported for writes, a transaction's doubled units and index upkeep included. */
  writeUnits: number;
}

/** The operations that take `ReturnConsumedCapacity`, and whether each reads. */
const METERED: Record<string, 'read' | 'write' | undefined> = {
  GetItem: 'read',
  BatchGetItem: 'read',
  Query: 'read',
  Scan: 'read',
  TransactGetItems: 'read',
  PutItem: 'write',
  UpdateItem: 'write',
  DeleteItem: 'write',
  BatchWriteItem: 'write',
  TransactWriteItems: 'write',
};

/** Whether an operation (`GetItem`, `TransactWriteItems`, …) is metered as a read or a write; undefined when it takes no `ReturnConsumedCapacity`. */
export const capacityKind = (operation: string): 'read' | 'write' | undefined => METERED[operation];

/** The capacity units of a `ConsumedCapacity`: one object (single-item operations, Query) or one per table (batches, transactions). */
export const capacityUnits = (consumed: unknown): number => ([consumed].flat() as Array<{ CapacityUnits?: number } | undefined>).reduce((n, c) => n + (c?.CapacityUnits ?? 0), 0);

/** What was asked between two readings of the same meter. */
export const meterDifference = (after: DynamoMeterReading, before: DynamoMeterReading): DynamoMeterReading => ({
  requests: Object.fromEntries(
    Object.entries(after.requests)
      .map(([op, n]) => [op, n - (before.requests[op] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  ),
  readUnits: after.readUnits - before.readUnits,
  writeUnits: after.writeUnits - before.writeUnits,
});

const readBody = (stream: IncomingMessage) =>
  new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });

/** Capacity units in a response body. */
const unitsIn = (body: Buffer): number => {
  try {
    return capacityUnits((JSON.parse(body.toString('utf8')) as { ConsumedCapacity?: unknown }).ConsumedCapacity);
  } catch {
    return 0;
  }
};

/**
 * A metering proxy between the functions and DynamoDB Local, for the bench: it counts each request
 * by operation and asks DynamoDB Local for the capacity it consumed (`ReturnConsumedCapacity:
 * TOTAL`, added where the caller did not ask, which changes nothing else of the request). Responses
 * pass through byte for byte, so the SDK's CRC32 check still holds. A failed condition consumes
 * capacity on AWS too, but its error carries no figure: those requests are counted, not metered.
 */
export const startDynamoMeter = async (target: string) => {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const requests: Record<string, number> = {};
  const units = { read: 0, write: 0 };
  const forward = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const operation =
        String(req.headers['x-amz-target'] ?? '')
          .split('.')
          .pop() || 'unknown';
      requests[operation] = (requests[operation] ?? 0) + 1;
      const kind = capacityKind(operation);
      let body = await readBody(req);
      if (kind) {
        const input = JSON.parse(body.toString('utf8')) as { ReturnConsumedCapacity?: string };
        input.ReturnConsumedCapacity ??= 'TOTAL';
        body = Buffer.from(JSON.stringify(input));
      }
      const upstreamRes = await new Promise<IncomingMessage>((resolve, reject) => {
        const out = request(
          { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, agent, headers: { ...req.headers, 'content-length': String(body.length) } },
          resolve,
        );
        out.on('error', reject);
        out.end(body);
      });
      const answer = await readBody(upstreamRes);
      if (kind && upstreamRes.statusCode === 200) units[kind] += unitsIn(answer);
      res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers).end(answer);
    } catch {
      // DynamoDB Local down (a fault test kills it): the caller sees a dropped connection, as it would without the meter.
      res.destroy();
    }
  };
  const server = createServer((req, res) => void forward(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    reading: (): DynamoMeterReading => ({ requests: { ...requests }, readUnits: units.read, writeUnits: units.write }),
    stop: () =>
      new Promise<void>((resolve) => {
        agent.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

export type DynamoMeter = Awaited<ReturnType<typeof startDynamoMeter>>;
