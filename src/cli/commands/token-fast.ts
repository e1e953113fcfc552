/**
 * The start-up path of `kubeiam token --exec-cache`: when the ExecCredential cache has a usable
 * token, print it before commander, the AWS SDK and the signer are loaded. Anything this path does
 * not handle (unknown flags, credentials from a profile, `--cache`, no explicit region, a miss)
 * returns false and the full command runs, which prints any warning and refreshes the cache.
 *
 * scripts/bundle.mjs builds this module alone into the CommonJS file dist/bundle/token-fast.cjs, which
 * bin/kubeiam.js requires first. Keep its imports free of commander, the AWS SDK, node:crypto and the
 * Go decoders.
 */
import { writeSync } from 'node:fs';
import { credentialsFromEnv } from '../../credentials/chain.js';
import { execCacheDir, readExecCache } from '../../credentials/execCache.js';
import { writeLauncherCache } from '../../credentials/launcherCache.js';
import { homeDirectory } from '../../credentials/privateFile.js';
import type { Env } from '../../credentials/types.js';
import type { TokenOptions } from './token.js';
import { EXEC_CREDENTIAL_DEFAULT_API_VERSION, EXEC_CREDENTIAL_KIND } from '../../token/constants.js';
import { launcherCacheApplies, resolveTokenRequest, type TokenRequest } from './token-request.js';

type ValueOption = 'clusterId' | 'clusterName' | 'region' | 'role' | 'roleArn' | 'sessionName' | 'externalId' | 'profile';
type FlagOption = 'forwardSessionName' | 'tokenOnly' | 'fips' | 'dualstack' | 'cache' | 'execCache' | 'launcherCache';

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
  '--launcher-cache': 'launcherCache',
};

/** Runs printCachedToken for this process, writing to file descriptor 1. */
export function printCachedTokenForProcess(): boolean {
  return printCachedToken(process.argv.slice(2), process.env, new Date(), writeStdout);
}

/**
 * Writes with writeSync, because setting up process.stdout on a pipe (as kubectl connects it) costs
 * more than the rest of a cache hit. A non-blocking pipe that is full gets the rest through process.stdout.
 */
function writeStdout(text: string): void {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  try {
    while (offset < bytes.length) offset += writeSync(1, bytes, offset);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    process.stdout.write(bytes.subarray(offset));
  }
}

/**
 * Prints the cached token for `argv` (the arguments after the script path) and returns true, or
 * returns false without output when the full command has to run. With `--launcher-cache` it stores
 * the output for the sh launcher first, and a failed write leaves the warning to the full command.
 */
export function printCachedToken(argv: readonly string[], env: Env, now: Date, write: (text: string) => void): boolean {
  if (argv[0] !== 'token') return false;
  const options = parseTokenArguments(argv.slice(1));
  const useExecCache = options?.execCache === true || options?.launcherCache === true;
  if (options === undefined || !useExecCache || options.cache === true) return false;

  const request = resolveQuietly(options, env);
  // Only environment keys without a profile are known without the AWS SDK, and only an explicit
  // region is known without reading the shared config.
  const credentials = credentialsFromEnv(env);
  if (request === undefined || request.profile !== '' || request.explicitRegion === '' || credentials === undefined) {
    return false;
  }

  const cacheDir = execCacheDir(env, homeDirectory(env));
  const lookup = readExecCache(cacheDir, { ...request, region: request.explicitRegion }, credentials, now);
  if (lookup.status !== 'hit') return false;
  const { token, expiration, usableUntil } = lookup.cached;
  const output = formatCachedOutput(token, expiration, options.tokenOnly === true, env);
  if (output === undefined) return false;

  if (options.launcherCache === true && launcherCacheApplies(options, request, env)) {
    try {
      writeLauncherCache(cacheDir, argv, env, { output, expiration, usableUntil });
    } catch {
      return false;
    }
  }
  write(output);
  return true;
}

/**
 * Formats the output as the full command does, or returns undefined when that needs client-go's
 * decoding of KUBERNETES_EXEC_INFO. Tokens are base64url and apiVersion is limited to characters
 * Go's JSON encoder writes verbatim, so JSON.stringify produces the same bytes here.
 */
export function formatCachedOutput(token: string, expiration: Date, tokenOnly: boolean, env: Env): string | undefined {
  if (tokenOnly) return `${token}\n`;
  const apiVersion = simpleExecInfoApiVersion(env.KUBERNETES_EXEC_INFO);
  if (apiVersion === undefined || !/^[A-Za-z0-9_.-]*$/.test(token)) return undefined;

  const expirationTimestamp = expiration.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const head = `{"kind":"${EXEC_CREDENTIAL_KIND}",${apiVersion === '' ? '' : `"apiVersion":"${apiVersion}",`}"spec":{},`;
  return `${head}"status":{"expirationTimestamp":"${expirationTimestamp}","token":"${token}"}}\n`;
}

/**
 * Returns the apiVersion kubectl asked for in KUBERNETES_EXEC_INFO when the value has only the
 * fields kubectl sends without cluster info (kind, apiVersion, spec.interactive) and apiVersion is
 * plain ASCII. Returns undefined for anything else, which the full command decodes like client-go.
 */
function simpleExecInfoApiVersion(execInfo: string | undefined): string | undefined {
  if (execInfo === undefined || execInfo === '') return EXEC_CREDENTIAL_DEFAULT_API_VERSION;
  if (hasEscapeOrRepeatedKey(execInfo)) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(execInfo);
  } catch {
    return undefined;
  }
  if (!isObjectWithKeys(parsed, ['kind', 'apiVersion', 'spec'])) return undefined;

  const { kind, apiVersion = '', spec = {} } = parsed as { kind?: unknown; apiVersion?: unknown; spec?: unknown };
  if ((kind !== undefined && typeof kind !== 'string') || typeof apiVersion !== 'string') return undefined;
  if (!isObjectWithKeys(spec, ['interactive'])) return undefined;
  const interactive = (spec as { interactive?: unknown }).interactive;
  if (interactive !== undefined && typeof interactive !== 'boolean') return undefined;
  return /^[A-Za-z0-9./_-]*$/.test(apiVersion) ? apiVersion : undefined;
}

/** The keys simpleExecInfoApiVersion accepts, quoted as they appear in the JSON text. */
const QUOTED_EXEC_INFO_KEYS = ['"kind"', '"apiVersion"', '"spec"', '"interactive"'];

/**
 * Reports whether the text has a backslash or one of the accepted keys twice. JSON.parse keeps the
 * last of duplicate keys, but Go's decoder also reports a type error in an earlier one, and the full
 * command then falls back to the default apiVersion. Without escapes, a repeated key is a repeated
 * quoted name.
 */
function hasEscapeOrRepeatedKey(text: string): boolean {
  if (text.includes('\\')) return true;
  return QUOTED_EXEC_INFO_KEYS.some((key) => text.indexOf(key) !== text.lastIndexOf(key));
}

function isObjectWithKeys(value: unknown, allowed: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.keys(value).every((key) => allowed.includes(key));
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
