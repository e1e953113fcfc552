import type { CacheError, CacheWarning } from '../../credentials/cache.js';
import { resolveBaseCredentials } from '../../credentials/chain.js';
import { execCacheDir, readExecCache, writeExecCache, type CachedToken, type ExecCacheRequest } from '../../credentials/execCache.js';
import { writeLauncherCache } from '../../credentials/launcherCache.js';
import { fsErrorText, homeDirectory } from '../../credentials/privateFile.js';
import { StsCalls } from '../../credentials/sts.js';
import type { AwsCredentials } from '../../credentials/types.js';
import { formatExecCredential } from '../../token/execCredential.js';
import { presignGetCallerIdentity } from '../../token/presign.js';
import { EXIT, type CommandContext } from '../io.js';
import type { TokenOptions } from './token.js';
import { launcherCacheApplies, resolveTokenRequest, type TokenRequest } from './token-request.js';

/**
 * Prints a token for the request. `args` are the program arguments (`token …`) as passed, which
 * key the launcher cache of `--launcher-cache`.
 */
export async function runToken(options: TokenOptions, context: CommandContext, args?: readonly string[]): Promise<number> {
  const { io } = context;
  const request = resolveTokenRequest(options, io.env);
  const region = request.explicitRegion || (await regionFromProfile(request.profile, context));
  const base = await baseCredentials(request, options.cache === true, context);

  const cacheRequest: ExecCacheRequest = { ...request, region };
  const cacheDir = execCacheDir(io.env, homeDirectory(io.env));
  const useExecCache = options.execCache === true || options.launcherCache === true;
  const launcherArgs = options.launcherCache && launcherCacheApplies(options, request, io.env) ? args : undefined;
  if (useExecCache) {
    const cached = lookUpCachedToken(cacheDir, cacheRequest, base, context);
    if (cached !== undefined) {
      printToken(cached, { cacheDir, launcherArgs, tokenOnly: options.tokenOnly === true }, context);
      return EXIT.ok;
    }
  }

  const credentials = request.roleArn === '' ? base : await assumeRole(base, request, region, context);
  const presigned = await presignGetCallerIdentity({
    credentials,
    region,
    clusterId: request.clusterId,
    now: io.now(),
    fips: request.fips,
    dualStack: request.dualStack,
  });

  const usableUntil = new Date(Math.min(presigned.expiration.getTime(), credentials.expiration?.getTime() ?? Infinity));
  if (useExecCache) {
    const entry = {
      token: presigned.token,
      expiration: presigned.expiration,
      ...(credentials.expiration ? { credentialsExpiration: credentials.expiration } : {}),
    };
    try {
      writeExecCache(cacheDir, cacheRequest, base, entry, io.now());
    } catch (error) {
      io.stderr(`${context.t('token.execCacheWriteFailed', { path: cacheDir, detail: fsErrorText(error) })}\n`);
    }
  }
  const token = { token: presigned.token, expiration: presigned.expiration, usableUntil };
  printToken(token, { cacheDir, launcherArgs, tokenOnly: options.tokenOnly === true }, context);
  return EXIT.ok;
}

/** Returns the cached token for the request, or undefined on a miss. */
function lookUpCachedToken(
  cacheDir: string,
  request: ExecCacheRequest,
  base: AwsCredentials,
  context: CommandContext,
): CachedToken | undefined {
  const { io } = context;
  const lookup = readExecCache(cacheDir, request, base, io.now());
  if (lookup.status === 'not-private') {
    io.stderr(`${context.t('token.execCacheNotPrivate', { path: lookup.path })}\n`);
  }
  return lookup.status === 'hit' ? lookup.cached : undefined;
}

interface PrintTarget {
  readonly cacheDir: string;
  /** The program arguments when the launcher cache applies; undefined otherwise. */
  readonly launcherArgs: readonly string[] | undefined;
  readonly tokenOnly: boolean;
}

/** Prints the token and, with launcher arguments, stores the same output for the launcher first. */
function printToken(token: CachedToken, target: PrintTarget, context: CommandContext): void {
  const { io } = context;
  const output = formatTokenOutput(token.token, token.expiration, target.tokenOnly, io.env);
  if (target.launcherArgs !== undefined) {
    try {
      writeLauncherCache(target.cacheDir, target.launcherArgs, io.env, { output, expiration: token.expiration, usableUntil: token.usableUntil });
    } catch (error) {
      io.stderr(`${context.t('token.execCacheWriteFailed', { path: target.cacheDir, detail: fsErrorText(error) })}\n`);
    }
  }
  io.stdout(output);
}

/**
 * Resolves the base credentials, through the aws-iam-authenticator credential file cache with
 * `--cache`. A cache that cannot be used is reported and skipped, as aws-iam-authenticator does.
 */
async function baseCredentials(request: TokenRequest, useCache: boolean, context: CommandContext): Promise<AwsCredentials> {
  const { io, t } = context;
  const profile = request.profile || undefined;
  if (!useCache) return resolveBaseCredentials(io.env, profile);

  // Imported here because the cache's YAML parser would slow down every token without --cache.
  const { CacheError, defaultCacheFilePath, openCredentialFileCache } = await import('../../credentials/cache.js');
  const path = defaultCacheFilePath(io.env, homeDirectory(io.env));
  try {
    const cache = openCredentialFileCache({
      path,
      clusterId: request.clusterId,
      profile: request.profile || 'default',
      roleArn: request.roleArn,
      provider: () => resolveBaseCredentials(io.env, profile),
      clock: io.now,
      onWarning: (warning) => io.stderr(`${describeCacheWarning(warning, context)}\n`),
    });
    return await cache.retrieve();
  } catch (error) {
    if (!(error instanceof CacheError)) throw error;
    io.stderr(`${t('token.cacheUnusable', { reason: describeCacheError(error, context) })}\n`);
    return resolveBaseCredentials(io.env, profile);
  }
}

function describeCacheError(error: CacheError, { t }: CommandContext): string {
  if (error.code === 'CACHE_NOT_PRIVATE') return t('token.cacheNotPrivate', { path: error.path });
  if (error.code === 'CACHE_READ_FAILED') return t('token.cacheReadFailed', { path: error.path, detail: error.detail });
  return t('token.cacheParseFailed', { path: error.path, detail: error.detail });
}

function describeCacheWarning(warning: CacheWarning, { t }: CommandContext): string {
  if (warning.code === 'CACHE_FILE_MISSING') return t('token.cacheMissing', { path: warning.path });
  if (warning.code === 'CACHE_NOT_EXPIRING') return t('token.cacheNotExpiring');
  return t('token.cacheWriteFailed', { path: warning.path, detail: warning.detail ?? '' });
}

async function assumeRole(
  base: AwsCredentials,
  request: TokenRequest,
  region: string,
  context: CommandContext,
): Promise<AwsCredentials> {
  const sts = new StsCalls(region, context.io.env, { fips: request.fips, dualStack: request.dualStack });
  let sessionName = request.sessionName;
  if (sessionName === '' && request.forwardSessionName) {
    // The caller's UserId is `<unique id>:<session>` for roles and federated users; forward the session.
    const caller = await sts.getCallerIdentity(base);
    const parts = caller.userId.split(':');
    if (parts.length === 2 && parts[1]) sessionName = parts[1];
  }
  if (sessionName === '') sessionName = `kubeiam-${context.io.now().getTime()}`;
  return sts.assumeRole(base, {
    roleArn: request.roleArn,
    sessionName,
    ...(request.externalId ? { externalId: request.externalId } : {}),
  });
}

/** Formats the command's output: the bare token, or the ExecCredential kubectl reads. */
function formatTokenOutput(token: string, expiration: Date, tokenOnly: boolean, env: CommandContext['io']['env']): string {
  if (tokenOnly) return `${token}\n`;
  return formatExecCredential({
    token,
    expiration,
    ...(env.KUBERNETES_EXEC_INFO !== undefined ? { execInfo: env.KUBERNETES_EXEC_INFO } : {}),
  });
}

/**
 * Region precedence as aws-iam-authenticator, after the flag, AWS_REGION and AWS_DEFAULT_REGION:
 * the profile's `region`, then us-east-1 with a notice on stderr.
 */
async function regionFromProfile(profile: string, context: CommandContext): Promise<string> {
  const { STSClient } = await import('@aws-sdk/client-sts');
  try {
    const region = await new STSClient(profile ? { profile } : {}).config.region();
    if (region) return region;
  } catch {
    // No region in the shared config either; fall through to the documented default.
  }
  context.io.stderr(`${context.t('token.regionDefault')}\n`);
  return 'us-east-1';
}
