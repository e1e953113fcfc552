import { KubeiamError } from '../errors.js';
import type { AwsCredentials, Env } from './types.js';

/** Provider names recorded in the credential cache; the first is the AWS SDK for Go's name for the same source. */
const ENV_SOURCE = 'EnvConfigCredentials';
const SDK_CHAIN_SOURCE = 'NodeProviderChain';

/**
 * Resolves the base credentials. Static keys in the environment are used directly, so the common
 * `kubectl` → `kubeiam token` path never loads the AWS SDK; anything else (profiles, SSO, web
 * identity, container and instance roles) goes through the AWS SDK v3 default provider chain.
 */
export async function resolveBaseCredentials(env: Env, profile?: string): Promise<AwsCredentials> {
  const fromEnv = credentialsFromEnv(env);
  if (fromEnv !== undefined && (profile === undefined || profile === '')) return fromEnv;

  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const provider = fromNodeProviderChain(profile ? { profile } : {});
  try {
    const credentials = await provider();
    return {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken ? { sessionToken: credentials.sessionToken } : {}),
      ...(credentials.expiration ? { expiration: credentials.expiration } : {}),
      ...(credentials.accountId ? { accountId: credentials.accountId } : {}),
      source: SDK_CHAIN_SOURCE,
    };
  } catch (error) {
    throw new KubeiamError('CREDENTIALS_NOT_FOUND', describeProviderError(error, env, profile), {
      profile: profile ?? '',
    });
  }
}

/** Reads AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN, or undefined if unset. */
export function credentialsFromEnv(env: Env): AwsCredentials | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN || env.AWS_SECURITY_TOKEN;
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), source: ENV_SOURCE };
}

/**
 * Says why no credentials were found and what to set. The SDK's own text ("Could not load credentials
 * from any providers") names neither the profile nor the half-set variable; it carries no secrets.
 */
function describeProviderError(error: unknown, env: Env, profile: string | undefined): string {
  const sdkMessage = error instanceof Error ? error.message : String(error);
  if (env.AWS_ACCESS_KEY_ID && !env.AWS_SECRET_ACCESS_KEY) {
    return `${sdkMessage}: AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is missing; set both, or neither to use a profile`;
  }
  if (!env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY) {
    return `${sdkMessage}: AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is missing; set both, or neither to use a profile`;
  }
  if (profile) {
    return `${sdkMessage}: profile '${profile}' gave no credentials; check that it exists in ${env.AWS_CONFIG_FILE || '~/.aws/config'} or ${env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials'}, or run aws sso login --profile ${profile} for an SSO profile`;
  }
  return `${sdkMessage}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE to a profile in ~/.aws/config`;
}
