/**
 * The request of `kubeiam token`, resolved from flags and environment. The full command and the
 * cached start-up path (token-fast.ts) share it, so both compute the same cache entry.
 */
import { credentialsFromEnv } from '../../credentials/chain.js';
import type { Env } from '../../credentials/types.js';
import { usageError } from '../errors.js';
import type { TokenOptions } from './token.js';

export const FIPS_ENV = 'AWS_USE_FIPS_ENDPOINT';
export const DUALSTACK_ENV = 'AWS_USE_DUALSTACK_ENDPOINT';

export interface TokenRequest {
  readonly clusterId: string;
  /** Region from the flag, AWS_REGION or AWS_DEFAULT_REGION; '' when the profile or default decides. */
  readonly explicitRegion: string;
  /** '' without a role. */
  readonly roleArn: string;
  /** --profile or AWS_PROFILE; '' when neither is set. */
  readonly profile: string;
  readonly sessionName: string;
  readonly externalId: string;
  readonly forwardSessionName: boolean;
  readonly fips: boolean;
  readonly dualStack: boolean;
}

/**
 * Resolves the token request. Throws a usage error for a missing cluster ID, for both session
 * options, or for an endpoint variable that is neither true nor false.
 */
export function resolveTokenRequest(options: TokenOptions, env: Env): TokenRequest {
  const clusterId = options.clusterId || options.clusterName || env.KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID || '';
  if (clusterId === '') throw usageError('token.clusterMissing');
  if (options.forwardSessionName && options.sessionName) throw usageError('token.sessionConflict');

  return {
    clusterId,
    explicitRegion: options.region || env.AWS_REGION || env.AWS_DEFAULT_REGION || '',
    roleArn: options.role || options.roleArn || env.DEFAULT_ROLE || '',
    profile: options.profile || env.AWS_PROFILE || '',
    sessionName: options.sessionName || '',
    externalId: options.externalId || '',
    forwardSessionName: options.forwardSessionName === true,
    fips: options.fips === true || readEndpointSetting(env, FIPS_ENV),
    dualStack: options.dualstack === true || readEndpointSetting(env, DUALSTACK_ENV),
  };
}

/**
 * Reads AWS_USE_FIPS_ENDPOINT or AWS_USE_DUALSTACK_ENDPOINT like the AWS SDKs: `true` or `false` in
 * any case, unset or empty meaning false. NOTE: the profile settings `use_fips_endpoint` and
 * `use_dualstack_endpoint` are not read; use the flags or these variables.
 */
function readEndpointSetting(env: Env, name: string): boolean {
  const value = env[name];
  if (value === undefined || value === '') return false;
  if (value.toLowerCase() === 'true') return true;
  if (value.toLowerCase() === 'false') return false;
  throw usageError('token.envBooleanInvalid', { name, value });
}

/**
 * Reports whether the token depends only on the arguments and on the variables the launcher
 * fingerprints (launcherCache.ts): credentials from the environment without a profile, an explicit
 * region, no `--cache`, and the ExecCredential output rather than the bare token.
 */
export function launcherCacheApplies(options: TokenOptions, request: TokenRequest, env: Env): boolean {
  if (options.cache === true || options.tokenOnly === true) return false;
  return request.profile === '' && request.explicitRegion !== '' && credentialsFromEnv(env) !== undefined;
}
