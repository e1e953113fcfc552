import type { AwsCredentials, Env } from '../credentials/types.js';
import { awsError } from './errors.js';

/** Services kubeiam calls, named as in their AWS_ENDPOINT_URL_<SERVICE> variables. */
export type AwsService = 'EKS' | 'IAM' | 'CLOUDTRAIL' | 'STS';

/** Region, credentials and endpoints of the AWS calls. */
export interface AwsTarget {
  readonly region: string;
  readonly credentials: AwsCredentials;
  /** Environment for endpoint variables (AWS_ENDPOINT_URL_<SERVICE>, AWS_ENDPOINT_URL). */
  readonly env: Env;
  /** Endpoint for every service, ahead of the environment (the `--endpoint-url` option). */
  readonly endpointUrl?: string;
  /** Attempts per call, retries included. Default: 3, the SDK's standard retry mode. */
  readonly maxAttempts?: number;
}

/** The options kubeiam passes to an AWS SDK v3 client constructor. */
export interface ClientConfig {
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly maxAttempts: number;
  readonly endpoint?: string;
}

/**
 * Picks the custom endpoint of a service the way the AWS SDKs do: the explicit override, then
 * AWS_ENDPOINT_URL_<SERVICE>, then AWS_ENDPOINT_URL; none when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS
 * is true. Returns undefined for the service's AWS endpoint. Throws AWS_ENDPOINT_INVALID for a value
 * that is not an http(s) URL.
 */
export function serviceEndpoint(service: AwsService, env: Env, override?: string): string | undefined {
  const ignoreEnv = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS?.toLowerCase() === 'true';
  const fromEnv = ignoreEnv ? undefined : env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL;
  const endpoint = override || fromEnv || undefined;
  if (endpoint !== undefined) checkEndpoint(endpoint);
  return endpoint;
}

function checkEndpoint(endpoint: string): void {
  let protocol = '';
  try {
    protocol = new URL(endpoint).protocol;
  } catch {
    protocol = '';
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw awsError('AWS_ENDPOINT_INVALID', `endpoint '${endpoint}' is not an http:// or https:// URL; fix --endpoint-url or AWS_ENDPOINT_URL*`, { endpoint });
  }
}

export function clientConfig(target: AwsTarget, service: AwsService): ClientConfig {
  const endpoint = serviceEndpoint(service, target.env, target.endpointUrl);
  return {
    region: target.region,
    credentials: target.credentials,
    maxAttempts: target.maxAttempts ?? 3,
    ...(endpoint === undefined ? {} : { endpoint }),
  };
}

/** Region from an explicit value, AWS_REGION or AWS_DEFAULT_REGION; '' when none is set. */
export function explicitRegion(flag: string | undefined, env: Env): string {
  return flag || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
}

/** Returns the `region` of a shared config profile, or '' when the profile has none. */
export async function regionFromProfile(profile: string): Promise<string> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  try {
    // NOTE: the SDK reads AWS_CONFIG_FILE from process.env, not from the injected Env.
    const region = await new STSClient(profile ? { profile } : {}).config.region();
    return region ?? '';
  } catch {
    return '';
  }
}
