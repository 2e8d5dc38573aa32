/**
 * The local cloud: runs the synthesized Cumbre stack on emulators (DynamoDB Local, fauxqs,
 * aws-ses-v2-local, cognito-local) with every function in its own process. `npm start` uses it
 * through local/start.ts; the e2e and browser tests through test/e2e/global-setup.ts.
 */
export { startLocalCloud, synthesize, cloudInfo, creationOrder, DEFAULT_PORTS, UnsupportedTemplateError, SynthError, StartAbortedError } from './cloud.js';
export type { LocalCloud, LocalCloudInfo, LocalCloudOptions, LocalResource, Ports, Session } from './cloud.js';
export { PreflightError } from './emulators/index.js';
export { RESOURCE_SUPPORT, supportFor, unknownResourceTypes, isCustomResourceType, renderNotEmulatedTable, renderEmulatedTable } from './support.js';
export type { ResourceSupport } from './support.js';
export { resolve, references, UnsupportedIntrinsicError, SUPPORTED_INTRINSICS } from './intrinsics.js';
export { parsePattern, matches, matchesAny, UnsupportedFilterError } from './filter-pattern.js';
export { loadTemplate } from './template.js';
