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
    throw new KubeiamError('CREDENTIALS_NOT_FOUND', describeProviderError(error), {
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

function describeProviderError(error: unknown): string {
  // The SDK's provider errors name the providers it tried; they carry no secret values.
  return error instanceof Error ? error.message : String(error);
}
