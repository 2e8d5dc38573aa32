import { Logger } from '@aws-lambda-powertools/logger';

/** One structured logger per function; LOG_LEVEL and POWERTOOLS_SERVICE_NAME come from the environment. */
export const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'cumbre' });

/**
 * One CloudWatch metric as an embedded-metric-format line. Written straight to stdout (not through
 * `console`), so Lambda's JSON log format keeps it a top-level JSON event CloudWatch can extract.
 */
export const putMetric = (namespace: string, name: string, dimensions: Record<string, string>, value = 1, write: (line: string) => void = (l) => process.stdout.write(l)) =>
  write(
    `${JSON.stringify({
      _aws: { Timestamp: Date.now(), CloudWatchMetrics: [{ Namespace: namespace, Dimensions: [Object.keys(dimensions)], Metrics: [{ Name: name, Unit: 'Count' }] }] },
      ...dimensions,
      [name]: value,
    })}\n`,
  );
