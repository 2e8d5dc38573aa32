import { randomUUID } from 'node:crypto';
import path from 'node:path';
import type { Services } from '../emulators/start-all.js';
import { resolve, type PhysicalResource, type ResolveContext } from '../intrinsics.js';
import type { Lifecycle } from '../lifecycle.js';
import { CREDENTIALS, UnsupportedTemplateError, type Settings } from '../options.js';
import { physicalName } from '../resources.js';
import { LocalFunction, type FunctionDefinition } from '../runtime/functions.js';
import type { CfnResource } from '../template.js';
import { shortName, text } from '../template.js';

/** Lambda's own variables, the SDK's endpoints pointing at the emulators, and nothing of the developer's shell. */
const lambdaEnvironment = (s: Settings, svc: Services, def: { name: string; assetDir: string; handler: string; runtime: string; memory: number }) => ({
  PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
  TZ: ':UTC',
  LANG: 'en_US.UTF-8',
  AWS_REGION: s.region,
  AWS_DEFAULT_REGION: s.region,
  AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
  // Keep the developer's ~/.aws profile out of the sandbox.
  AWS_CONFIG_FILE: path.join(s.dataDir, 'runtime', 'no-aws-config'),
  AWS_SHARED_CREDENTIALS_FILE: path.join(s.dataDir, 'runtime', 'no-aws-credentials'),
  AWS_LAMBDA_FUNCTION_NAME: def.name,
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(def.memory),
  AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${def.name}`,
  AWS_LAMBDA_LOG_STREAM_NAME: `local/[$LATEST]${randomUUID().replace(/-/g, '')}`,
  AWS_EXECUTION_ENV: `AWS_Lambda_${def.runtime}`,
  AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
  LAMBDA_TASK_ROOT: def.assetDir,
  _HANDLER: def.handler,
  AWS_ENDPOINT_URL_DYNAMODB: svc.dynamoMeter?.url ?? svc.ddb.url,
  AWS_ENDPOINT_URL_DYNAMODB_STREAMS: svc.ddb.url,
  AWS_ENDPOINT_URL_SQS: `http://sqs.${s.region}.localhost:${svc.fauxqs.port}`,
  AWS_ENDPOINT_URL_S3: svc.fauxqs.url,
  AWS_ENDPOINT_URL_SNS: svc.fauxqs.url,
  AWS_ENDPOINT_URL_SESV2: svc.ses.url,
  AWS_ENDPOINT_URL_SES: svc.ses.url,
  AWS_ENDPOINT_URL_SECRETS_MANAGER: svc.secrets.url,
  AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: svc.cognitoLocal.url,
});

/**
 * The stack's Lambda functions, by logical id, ARN and name. Functions the local cloud cannot run
 * (another runtime, inline code) are kept with the reason, which stops start-up only when
 * something needs them.
 */
export class FunctionRegistry {
  readonly byId = new Map<string, LocalFunction>();
  private readonly byArn = new Map<string, LocalFunction>();
  private readonly byName = new Map<string, LocalFunction>();
  readonly notRunnable = new Map<string, string>();

  constructor(
    private readonly s: Settings,
    private readonly svc: Services,
    private readonly life: Lifecycle,
  ) {}

  /** Creates the function's definition from the template; its processes start on first invocation. */
  create(id: string, r: CfnResource, ctx: ResolveContext): PhysicalResource {
    const { s } = this;
    const p = r.Properties ?? {};
    const name = (p.FunctionName as string | undefined) ?? physicalName({ region: s.region, accountId: s.accountId, stackName: s.stackName }, id, 64);
    const arn = `arn:aws:lambda:${s.region}:${s.accountId}:function:${name}`;
    const runtime = String(resolve(p.Runtime, ctx, `Resources.${id}.Properties.Runtime`) ?? '');
    const assetPath = r.Metadata?.['aws:asset:path'];
    const templateEnv = resolve<Record<string, unknown>>(
      (p.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
      ctx,
      `Resources.${id}.Properties.Environment.Variables`,
    );
    const assetDir = typeof assetPath === 'string' ? path.resolve(s.cdkOut, assetPath) : '';
    const handler = text(p.Handler, 'index.handler');
    const memory = Number(p.MemorySize ?? 128);
    const environment: Record<string, string> = lambdaEnvironment(s, this.svc, { name, assetDir, handler, runtime, memory });
    // Lambda's advanced logging controls reach the code as these two variables (Powertools reads them).
    const logging = (p.LoggingConfig ?? {}) as { LogFormat?: string; ApplicationLogLevel?: string };
    if (logging.LogFormat === 'JSON') environment.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    if (logging.LogFormat === 'JSON' && logging.ApplicationLogLevel) environment.AWS_LAMBDA_LOG_LEVEL = logging.ApplicationLogLevel;
    for (const [k, v] of Object.entries(templateEnv)) environment[k] = typeof v === 'string' ? v : JSON.stringify(v);
    if (s.userLogLevel) {
      environment.LOG_LEVEL = s.userLogLevel;
      environment.POWERTOOLS_LOG_LEVEL = s.userLogLevel;
      if (environment.AWS_LAMBDA_LOG_LEVEL) environment.AWS_LAMBDA_LOG_LEVEL = s.userLogLevel.toUpperCase();
    }
    const def: FunctionDefinition = {
      logicalId: id,
      label: shortName(id),
      functionName: name,
      arn,
      assetDir,
      handler,
      runtime,
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: memory,
      environment,
    };
    if (!runtime.startsWith('nodejs')) this.notRunnable.set(id, `runtime ${runtime || '(none)'} (only Node.js runs locally)`);
    else if (!assetDir) this.notRunnable.set(id, 'no aws:asset:path metadata (inline or image code)');
    const fn = new LocalFunction(def, this.svc.harness, s.log);
    this.byId.set(id, fn);
    this.byArn.set(arn, fn);
    this.byName.set(name, fn);
    this.life.register(
      def.label,
      () => fn.stop(),
      async () => {
        fn.killInstances('SIGKILL');
        await fn.stop();
      },
    );
    return { ref: name, attributes: { Arn: arn } };
  }

  runnable(fn: LocalFunction, usedBy: string): LocalFunction {
    const reason = this.notRunnable.get(fn.def.logicalId);
    if (reason) throw new UnsupportedTemplateError(`${usedBy} needs function ${fn.def.logicalId}, which cannot run locally: ${reason}`);
    return fn;
  }

  /** The function an ARN (possibly qualified) or a name points at, or a start-up error naming who asked. */
  target(value: string, usedBy: string): LocalFunction {
    const fn = this.byArn.get(value) ?? this.byName.get(value) ?? this.byArn.get(value.replace(/:[^:]+$/, ''));
    if (!fn) throw new UnsupportedTemplateError(`${usedBy} targets ${value}, which is not a function of this stack`);
    return this.runnable(fn, usedBy);
  }

  byArnOnly(arn: string): LocalFunction | undefined {
    return this.byArn.get(arn);
  }

  /** By logical id, short name (`RsvpHandler`) or function name. */
  find(idOrName: string): LocalFunction {
    const fn = this.byId.get(idOrName) ?? [...this.byId.values()].find((f) => f.def.label === idOrName || f.def.functionName === idOrName);
    if (!fn) throw new Error(`no function ${idOrName}`);
    return fn;
  }

  get runnableCount(): number {
    return this.byId.size - this.notRunnable.size;
  }

  runtimes(): string[] {
    return [...new Set([...this.byId.values()].filter((f) => !this.notRunnable.has(f.def.logicalId)).map((f) => f.def.runtime))];
  }
}
