/**
 * The start-up path of `kubeiam token --exec-cache`: when the ExecCredential cache has a usable
 * token, print it before commander, the AWS SDK and the signer are loaded. Anything this path does
 * not handle (unknown flags, credentials from a profile, `--cache`, no explicit region, a miss)
 * returns false and the full command runs, which prints any warning and refreshes the cache.
 */
import { credentialsFromEnv } from '../../credentials/chain.js';
import { execCacheDir, readExecCache } from '../../credentials/execCache.js';
import { homeDirectory } from '../../credentials/privateFile.js';
import type { Env } from '../../credentials/types.js';
import type { TokenOptions } from './token.js';
import { formatTokenOutput, resolveTokenRequest, type TokenRequest } from './token-request.js';

type ValueOption = 'clusterId' | 'clusterName' | 'region' | 'role' | 'roleArn' | 'sessionName' | 'externalId' | 'profile';
type FlagOption = 'forwardSessionName' | 'tokenOnly' | 'fips' | 'dualstack' | 'cache' | 'execCache';

/** The `token` options with a value, by every spelling commander accepts for them. */
const VALUE_OPTIONS: Readonly<Record<string, ValueOption>> = {
  '-i': 'clusterId',
  '--cluster-id': 'clusterId',
  '--cluster-name': 'clusterName',
  '--region': 'region',
  '-r': 'role',
  '--role': 'role',
  '--role-arn': 'roleArn',
  '-s': 'sessionName',
  '--session-name': 'sessionName',
  '-e': 'externalId',
  '--external-id': 'externalId',
  '--profile': 'profile',
};

const FLAG_OPTIONS: Readonly<Record<string, FlagOption>> = {
  '--forward-session-name': 'forwardSessionName',
  '--token-only': 'tokenOnly',
  '--fips': 'fips',
  '--dualstack': 'dualstack',
  '--cache': 'cache',
  '--exec-cache': 'execCache',
};

/**
 * Prints the cached token for `argv` (the arguments after the script path) and returns true, or
 * returns false without output when the full command has to run.
 */
export function printCachedToken(argv: readonly string[], env: Env, now: Date, write: (text: string) => void): boolean {
  if (argv[0] !== 'token') return false;
  const options = parseTokenArguments(argv.slice(1));
  if (options === undefined || options.execCache !== true || options.cache === true) return false;

  const request = resolveQuietly(options, env);
  // Only environment keys without a profile are known without the AWS SDK, and only an explicit
  // region is known without reading the shared config.
  const credentials = credentialsFromEnv(env);
  if (request === undefined || request.profile !== '' || request.explicitRegion === '' || credentials === undefined) {
    return false;
  }

  const lookup = readExecCache(
    execCacheDir(env, homeDirectory(env)),
    { ...request, region: request.explicitRegion },
    credentials,
    now,
  );
  if (lookup.status !== 'hit') return false;
  write(formatTokenOutput(lookup.cached.token, lookup.cached.expiration, options.tokenOnly === true, env));
  return true;
}

/**
 * Parses the `token` options as commander does (`-i x`, `-ix`, `--region x`, `--region=x`, the last
 * occurrence winning). Returns undefined for anything else, such as --help or a positional argument.
 */
export function parseTokenArguments(args: readonly string[]): TokenOptions | undefined {
  const options: Record<string, string | boolean> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const flag = FLAG_OPTIONS[arg];
    if (flag !== undefined) {
      options[flag] = true;
      continue;
    }

    const split = splitOption(arg);
    if (split === undefined) return undefined;
    const name = VALUE_OPTIONS[split.option];
    if (name === undefined) return undefined;
    if (split.value !== undefined) {
      options[name] = split.value;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined) return undefined;
    options[name] = value;
    i += 1;
  }
  return options as TokenOptions;
}

/** Splits `--name=value` and `-xvalue`; returns undefined for a word that is no option. */
function splitOption(arg: string): { option: string; value?: string } | undefined {
  if (arg.startsWith('--')) {
    const equals = arg.indexOf('=');
    return equals < 0 ? { option: arg } : { option: arg.slice(0, equals), value: arg.slice(equals + 1) };
  }
  if (arg.startsWith('-') && arg.length > 2) return { option: arg.slice(0, 2), value: arg.slice(2) };
  if (arg.startsWith('-') && arg.length === 2) return { option: arg };
  return undefined;
}

function resolveQuietly(options: TokenOptions, env: Env): TokenRequest | undefined {
  try {
    return resolveTokenRequest(options, env);
  } catch {
    // The full command reports the usage error.
    return undefined;
  }
}
