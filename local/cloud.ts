import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { cumbreBootstrap } from './bootstrap/index.js';
import { checkJava } from './emulators/index.js';
import { stopLeftovers } from './emulators/leftovers.js';
import { startServices } from './emulators/start-all.js';
import { startEventSourceMappings } from './event-source-mappings.js';
import { configureHttpApi } from './http-api.js';
import { UnsupportedIntrinsicError } from './intrinsics.js';
import { Lifecycle } from './lifecycle.js';
import { CREDENTIALS, resolvePorts, settingsFrom, StartAbortedError, UnsupportedTemplateError, type LocalCloudOptions, type Settings } from './options.js';
import { provisionResources, type Provisioned } from './provision/index.js';
import { startSchedules } from './schedules.js';
import { StateStore } from './state.js';
import { synthIfNeeded } from './synth.js';
import { loadTemplate } from './template.js';
import type { EmulatorName, FaultHooks, LocalCloud, LocalCloudInfo } from './types.js';
import type { Services } from './emulators/start-all.js';

/**
 * Starts the synthesized stack on local emulators. The returned object has the URLs, the session
 * facts (also written to `<dataDir>/session.json`) and `stop()`, which stops everything it started.
 */
export const startLocalCloud = async (options: LocalCloudOptions = {}): Promise<LocalCloud> => {
  const bootstrap = options.bootstrap ?? cumbreBootstrap;
  const s = settingsFrom(options, bootstrap);
  const life = new Lifecycle(s.log, options.signal);
  const onAbort = () => void life.stopAll();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    life.checkAborted();
    checkJava();
    await mkdir(path.join(s.dataDir, 'runtime'), { recursive: true });
    await stopLeftovers(s.dataDir, s.log);
    const ports = await resolvePorts(options.ports);
    const store = await StateStore.load(s.dataDir, s.log);

    // 1. Synth, with every emulator starting alongside (they do not need the template).
    const synthesized = synthIfNeeded(s, options.signal);
    synthesized.catch(() => undefined); // reported once the emulators have settled
    const svc = await startServices(s, ports, life, { meterDynamo: options.meterDynamo });
    await synthesized;
    life.checkAborted();
    life.mark('synth');

    // 2. The template's resources, in dependency order; then what serves and drives them.
    const loaded = await loadTemplate(s.cdkOut, s.stackName);
    const stack = await provisionResources(loaded.template, { s, svc, store, life, bootstrap });
    life.mark('resources');
    const api = configureHttpApi({ s, svc, store, p: stack });
    const pollers = await startEventSourceMappings({ s, svc, p: stack, life, options });
    startSchedules({ s, p: stack, life });

    // 3. The application: users, seed data, session facts.
    const routes = api.routes.map((r) => r.routeKey);
    const session = await bootstrap.run({
      settings: s,
      log: s.log,
      apiUrl: svc.gateway.baseUrl,
      mailUrl: svc.ses.url,
      store,
      stack,
      routes,
      services: svc,
      life,
      seedDemo: options.seedDemo !== false,
    });

    life.checkAborted();
    options.signal?.removeEventListener('abort', onAbort);
    reportRuntimes(s, stack);
    const startupMs = life.mark('ready');
    s.log.debug('cumbre', `start-up timings (ms from start): ${JSON.stringify(life.timings)}`);
    s.log.info('cumbre', `ready in ${(startupMs / 1000).toFixed(1)} s: ${stack.functions.runnableCount} functions, ${routes.length} routes, ${pollers.length} event sources`);
    const info: LocalCloudInfo = {
      apiUrl: svc.gateway.baseUrl,
      mailUrl: svc.ses.url,
      region: s.region,
      dataDir: s.dataDir,
      templatePath: loaded.templatePath,
      startupMs,
      timings: life.timings,
      endpoints: svc.endpoints,
      credentials: CREDENTIALS,
      session,
      resources: resourcesOf(stack),
      routes,
      cognito: api.cognito,
    };
    return {
      ...info,
      invoke: (idOrName, event) => stack.functions.runnable(stack.functions.find(idOrName), `invoke ${idOrName}`).invoke(event),
      invocations: (idOrName) => stack.functions.find(idOrName).invocations,
      busyMs: (idOrName) => stack.functions.find(idOrName).busyMs,
      stop: () => life.stopAll(),
      fatal: life.fatal,
      faults: faultHooks(svc, stack, life),
      ...(svc.dynamoMeter ? { dynamoMeter: svc.dynamoMeter.reading } : {}),
    };
  } catch (err) {
    options.signal?.removeEventListener('abort', onAbort);
    await life.stopAll();
    if (options.signal?.aborted) throw new StartAbortedError();
    if (err instanceof UnsupportedIntrinsicError) throw new UnsupportedTemplateError(err.message);
    throw err;
  }
};

const resourcesOf = (stack: Provisioned) =>
  [...stack.physical.entries()].map(([logicalId, v]) => ({ logicalId, type: stack.active[logicalId].Type, ref: v.ref, attributes: v.attributes }));

const reportRuntimes = (s: Settings, stack: Provisioned) => {
  const runtimes = stack.functions.runtimes();
  const localMajor = `nodejs${process.versions.node.split('.')[0]}.x`;
  if (runtimes.some((r) => r !== localMajor)) s.log.info('cumbre', `functions declare ${runtimes.join(', ')}; they run on this machine's Node ${process.versions.node}`);
};

const faultHooks = (svc: Services, stack: Provisioned, life: Lifecycle): FaultHooks => {
  const emulator = (name: EmulatorName) => (name === 'dynamodb' ? svc.ddb : svc.cognitoLocal);
  return {
    killFunction: (idOrName, signal) => stack.functions.find(idOrName).killInstances(signal),
    killEmulator: (name, signal) => emulator(name).kill(signal),
    emulatorRunning: (name) => emulator(name).whenRunning(),
    emulatorRestarts: (name) => emulator(name).restarts,
    stopUncleanly: () => life.crash(),
    onMailStored: (listener) => svc.ses.mailbox.onStored((email) => listener(email as Parameters<typeof listener>[0])),
    pauseSending: (paused) => svc.ses.pauseSending(paused),
  };
};

/** The facts of a running cloud without its functions: what global setup hands to tests. */
export const cloudInfo = (cloud: LocalCloud): LocalCloudInfo => {
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the methods are destructured only to leave them out
  const { invoke: _i, invocations: _n, busyMs: _b, stop: _s, fatal: _f, faults: _h, ...info } = cloud;
  return info;
};
