import { resolveBaseCredentials } from '../credentials/chain.js';
import type { Env } from '../credentials/types.js';
import { explicitRegion, regionFromProfile, type AwsTarget } from './config.js';
import { awsError } from './errors.js';

export interface TargetOptions {
  /** `--region`; then AWS_REGION, AWS_DEFAULT_REGION and the profile's region. */
  readonly region?: string;
  /** `--profile`; then AWS_PROFILE. */
  readonly profile?: string;
  /** `--endpoint-url`: every AWS call goes there. */
  readonly endpointUrl?: string;
  /** Region used when none is configured; without it a missing region is an error. */
  readonly defaultRegion?: string;
}

/** Returns the profile in effect: the option, else AWS_PROFILE, else '' for the default chain. */
export function profileOf(options: TargetOptions, env: Env): string {
  return options.profile || env.AWS_PROFILE || '';
}

/**
 * Resolves region and credentials (the AWS SDK's default chain, or static keys from the
 * environment) for the AWS adapters. Throws AWS_REGION_MISSING without a region and default, and
 * CREDENTIALS_NOT_FOUND when the chain finds no credentials.
 */
export async function createAwsTarget(env: Env, options: TargetOptions): Promise<AwsTarget> {
  const profile = profileOf(options, env);
  const region = explicitRegion(options.region, env) || (await regionFromProfile(profile)) || options.defaultRegion || '';
  if (region === '') {
    throw awsError('AWS_REGION_MISSING', 'no AWS region: pass --region REGION, set AWS_REGION, or set region in the profile', { profile });
  }
  const credentials = await resolveBaseCredentials(env, profile === '' ? undefined : profile);
  return { region, credentials, env, ...(options.endpointUrl ? { endpointUrl: options.endpointUrl } : {}) };
}
