/**
 * The local cloud: runs a synthesized stack on emulators (DynamoDB Local, fauxqs,
 * aws-ses-v2-local, cognito-local) with every function in its own process, then Cumbre's
 * bootstrap (local/bootstrap/). `npm start` uses it through local/start.ts; the e2e and browser
 * tests through test/e2e/global-setup.ts.
 */
export { startLocalCloud, cloudInfo } from './cloud.js';
export { DEFAULT_PORTS, UnsupportedTemplateError, StartAbortedError } from './options.js';
export type { LocalCloudOptions, Ports } from './options.js';
export { synthesize, SynthError } from './synth.js';
export { creationOrder } from './provision/index.js';
export type { EmulatorName, FaultHooks, LocalCloud, LocalCloudInfo, LocalResource } from './types.js';
export type { Bootstrap, BootstrapContext, Session } from './bootstrap/contract.js';
export { PreflightError } from './emulators/index.js';
export { BadStateFileError } from './state-files.js';
export { RESOURCE_SUPPORT, supportFor, unknownResourceTypes, isCustomResourceType, renderNotEmulatedTable, renderEmulatedTable } from './support.js';
export type { ResourceSupport } from './support.js';
export { resolve, references, UnsupportedIntrinsicError, SUPPORTED_INTRINSICS } from './intrinsics.js';
export { parsePattern, matches, matchesAny, UnsupportedFilterError } from './filter-pattern.js';
export { loadTemplate } from './template.js';
