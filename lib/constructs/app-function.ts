import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type NodejsFunctionProps } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { posix } from 'node:path';
import { browserBundleCommand } from './browser-bundle.js';
import { fileURLToPath } from 'node:url';

/** The managed policy every Lambda role gets for its own log writes. */
export const BASIC_EXECUTION = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRIM_SOURCE_MAP = fileURLToPath(new URL('./trim-source-map.mjs', import.meta.url));

/** The SDK's default credential provider chain, replaced in the bundles by the environment's credentials. */
export const SDK_CREDENTIAL_CHAIN = '@aws-sdk/credential-provider-node';

/** Where the bundles find it instead (functions/adapters/env-credentials.ts). */
export const ENV_CREDENTIALS = `${ROOT}functions/adapters/env-credentials.ts`;

/** CommonJS dependencies (nodemailer, qrcode) call require() for Node built-ins; an ESM bundle gives them one. */
export const ESM_REQUIRE_BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

export interface AppFunctionProps extends Omit<NodejsFunctionProps, 'entry' | 'runtime' | 'architecture'> {
  /** File name under functions/handlers/, without extension. */
  handler: string;
  logLevel?: string;
  /** Extra files copied next to the bundle (relative to the repo root), e.g. fonts. */
  assets?: Array<{ from: string; to: string }>;
  /** Browser scripts bundled by esbuild next to the function's bundle (entry relative to the repo root), e.g. a page's app.js. */
  browserBundles?: Array<{ entry: string; to: string }>;
}

/**
 * A Lambda function built from functions/handlers/<handler>.ts with the house defaults: Node.js 22
 * on arm64, an ESM bundle with the SDK inside (it initialises faster than the runtime's copy),
 * minified with source maps of its own code (lib/constructs/trim-source-map.mjs), JSON logs into a log group with a retention.
 */
export class AppFunction extends NodejsFunction {
  /** The file under functions/handlers/ it runs (the key of its access in lib/constructs/access.ts). */
  readonly handlerName: string;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const { handler, logLevel = 'INFO', assets = [], browserBundles = [], environment, bundling, ...rest } = props;
    const logGroup = new LogGroup(scope, `${id}Logs`, { retention: RetentionDays.ONE_MONTH, removalPolicy: RemovalPolicy.DESTROY });
    super(scope, id, {
      entry: `${ROOT}functions/handlers/${handler}.ts`,
      projectRoot: ROOT,
      depsLockFilePath: `${ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_22_X,
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(29),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `cumbre-${handler}`,
        LOG_LEVEL: logLevel,
        ...environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        target: 'node22',
        minify: true,
        sourceMap: true,
        // Maps point stack traces at functions/…; the sources themselves need not travel with them.
        sourcesContent: false,
        // index.meta.json beside the bundle: every module it carries, with its bytes, for the bundle
        // test (test/infra/bundles.test.ts). A few hundred KB in the asset; Lambda never reads it.
        metafile: true,
        externalModules: [],
        mainFields: ['module', 'main'],
        // Lambda hands every function its role's credentials in the environment: the SDK's default
        // chain (SSO, INI, process, web identity, IMDS and the STS/SSO clients behind them, ~95 KB)
        // was parsed at every cold start and never reached. See functions/adapters/env-credentials.ts.
        esbuildArgs: { [`--alias:${SDK_CREDENTIAL_CHAIN}`]: ENV_CREDENTIALS },
        banner: ESM_REQUIRE_BANNER,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) => [
            // The map keeps Cumbre's own sources only: a tenth of the bytes Node decodes at each cold start.
            `node "${TRIM_SOURCE_MAP}" "${output}/index.mjs.map"`,
            ...assets.map((a) => `mkdir -p "${posix.dirname(`${output}/${a.to}`)}" && cp "${ROOT}${a.from}" "${output}/${a.to}"`),
            ...browserBundles.map((b) => browserBundleCommand(b.entry, `${output}/${b.to}`)),
          ],
        },
        ...bundling,
      },
      ...rest,
    });
    this.handlerName = handler;
    const v = Validations.of(this);
    v.acknowledge({ id: 'AwsSolutions-L1', reason: 'Node.js 22 is the runtime the bundles target (esbuild target node22); upgrades are a deliberate change, not a drift.' });
    v.acknowledge({ id: `AwsSolutions-IAM4[${BASIC_EXECUTION}]`, reason: 'AWSLambdaBasicExecutionRole only allows writing this function’s own logs.' });
    v.acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: 'X-Ray PutTraceSegments/PutTelemetryRecords accept no resource other than *.' });
    v.acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'Granted by table/queue/secret grants for the stack’s one customer-managed key; scoped to that key ARN.',
    });
    v.acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
      reason: 'Granted by table/queue/secret grants for the stack’s one customer-managed key; scoped to that key ARN.',
    });
  }
}
