/**
 * The Lambda sandbox of the local cloud: one long-lived process per function instance. It imports
 * the bundled handler once (the init phase) and answers invocations sent over the IPC channel.
 * Built with esbuild into the data dir at start, then run with plain `node` like the Lambda runtime.
 */
import dns from 'node:dns';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { existsSync } from 'node:fs';

interface InvokeMessage {
  type: 'invoke';
  id: string;
  requestId: string;
  eventJson: string;
  deadline: number;
}

type Handler = (event: unknown, context: unknown, callback?: (err: unknown, result?: unknown) => void) => unknown;

// RFC 6761: every `*.localhost` name is the loopback address. Resolvers that follow it (systemd,
// browsers) make fauxqs's `sqs.<region>.localhost` queue URLs work; glibc alone does not, so the
// sandbox resolves them itself. Function code is unchanged.
const originalLookup = dns.lookup;
(dns as { lookup: unknown }).lookup = (hostname: string, options: unknown, callback?: unknown) => {
  if (typeof hostname === 'string' && (hostname === 'localhost' || hostname.endsWith('.localhost'))) {
    const cb = (typeof options === 'function' ? options : callback) as (...a: unknown[]) => void;
    const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
    return process.nextTick(() => (all ? cb(null, [{ address: '127.0.0.1', family: 4 }]) : cb(null, '127.0.0.1', 4)));
  }
  return (originalLookup as (...a: unknown[]) => unknown)(hostname, options, callback);
};

// The bundles target the Lambda runtime's Node (22); on an older local Node the AWS SDK warns at
// every cold start. That one warning says nothing about the function, so the sandbox drops it.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = (warning: string | Error, ...rest: unknown[]) => {
  if (String(warning).startsWith('NodeVersionSupportWarning')) return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
};

const send = (message: unknown) => process.send?.(message);

const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
const [moduleName, exportName] = (() => {
  const handler = process.env._HANDLER ?? 'index.handler';
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)] as const;
})();

const toError = (err: unknown, fallbackType = 'Error') => {
  const e = err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err));
  return { errorType: e.name && e.name !== 'Error' ? e.name : ((e as { code?: string }).code ?? fallbackType), errorMessage: e.message, trace: (e.stack ?? '').split('\n') };
};

const loadHandler = async (): Promise<Handler> => {
  const base = path.join(taskRoot, moduleName);
  const file = ['.mjs', '.js', '.cjs'].map((ext) => base + ext).find((f) => existsSync(f));
  if (!file) throw Object.assign(new Error(`Cannot find module '${moduleName}' in ${taskRoot}`), { name: 'Runtime.ImportModuleError' });
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (err) {
    throw Object.assign(err instanceof Error ? err : new Error(String(err)), { name: 'Runtime.ImportModuleError' });
  }
  const fn = mod[exportName] ?? (mod.default as Record<string, unknown> | undefined)?.[exportName];
  if (typeof fn !== 'function') throw Object.assign(new Error(`${moduleName}.${exportName} is undefined or not exported`), { name: 'Runtime.HandlerNotFound' });
  return fn as Handler;
};

const handlerReady = loadHandler();
handlerReady.catch(() => undefined);

let current: string | undefined;

const finish = (id: string, outcome: { ok: true; resultJson: string } | { ok: false; error: ReturnType<typeof toError> }) => {
  if (current !== id) return;
  current = undefined;
  send({ type: 'result', id, ...outcome });
};

const invoke = async (msg: InvokeMessage) => {
  current = msg.id;
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local';
  const context = {
    functionName,
    functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION ?? '$LATEST',
    invokedFunctionArn: process.argv[2] ?? '',
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? '128',
    awsRequestId: msg.requestId,
    logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME ?? `/aws/lambda/${functionName}`,
    logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME ?? 'local',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    done: () => undefined,
    succeed: () => undefined,
    fail: () => undefined,
  };
  try {
    const handler = await handlerReady;
    const event: unknown = JSON.parse(msg.eventJson);
    const result =
      handler.length >= 3
        ? await new Promise((resolve, reject) => {
            const maybe = handler(event, context, (err, value) =>
              err ? reject(err instanceof Error ? err : new Error(typeof err === 'string' ? err : JSON.stringify(err))) : resolve(value),
            );
            if (maybe && typeof (maybe as Promise<unknown>).then === 'function') (maybe as Promise<unknown>).then(resolve, reject);
          })
        : await handler(event, context);
    finish(msg.id, { ok: true, resultJson: JSON.stringify(result) ?? 'null' });
  } catch (err) {
    finish(msg.id, { ok: false, error: toError(err) });
  }
};

process.on('message', (msg: InvokeMessage) => {
  if (msg?.type === 'invoke') void invoke(msg);
});

// Like the Lambda runtime, an error nobody caught ends the sandbox; the invocation fails with it.
const crash = (err: unknown, type: string) => {
  const error = { ...toError(err), errorType: type };
  console.error(`${type}: ${error.errorMessage}`);
  if (current) finish(current, { ok: false, error });
  setTimeout(() => process.exit(129), 10);
};
process.on('uncaughtException', (err) => crash(err, 'Runtime.UncaughtException'));
process.on('unhandledRejection', (err) => crash(err, 'Runtime.UnhandledPromiseRejection'));
process.on('disconnect', () => process.exit(0));

void handlerReady.then(
  () => send({ type: 'ready' }),
  (err: unknown) => {
    console.error(`INIT failed: ${(err as Error).name}: ${(err as Error).message}`);
    send({ type: 'ready' });
  },
);
