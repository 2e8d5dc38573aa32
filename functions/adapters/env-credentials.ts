/** The shape the SDK's credential providers resolve to. */
interface EnvCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

/**
 * Stands in for `@aws-sdk/credential-provider-node` in the Lambda bundles (an esbuild alias in
 * lib/constructs/app-function.ts). Lambda, and the local cloud, always hand a function its role's
 * credentials in these variables, so the rest of the default chain (SSO, INI files, process,
 * web identity, IMDS and the STS/SSO clients behind them: about 95 KB of each bundle) is never
 * reached, yet V8 parsed it at every cold start. Tests and scripts run the sources and keep the
 * SDK's own chain.
 */
export const defaultProvider = () => async (): Promise<EnvCredentials> => {
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey, AWS_SESSION_TOKEN: sessionToken } = process.env;
  if (!accessKeyId || !secretAccessKey) throw new Error('No AWS credentials in the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY)');
  const expiry = process.env.AWS_CREDENTIAL_EXPIRATION;
  return { accessKeyId, secretAccessKey, ...(sessionToken && { sessionToken }), ...(expiry && { expiration: new Date(expiry) }) };
};
