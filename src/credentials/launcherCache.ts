/**
 * The launcher cache: a copy of `kubeiam token --exec-cache` output that a POSIX `sh` script can
 * print without starting Node.js (see launcherScript.ts, written by `kubeiam kubeconfig --launcher`).
 *
 * The shell cannot compute the SHA-256 that names exec-cache entries, so launcher entries are named
 * by the POSIX `cksum` (CRC-32 and byte count) of the token arguments and of every environment
 * variable that `kubeiam token` reads to build its output. Both sides encode that input the same way:
 * the argument count, each argument and each variable's value, each followed by a newline. A CRC is no
 * authenticator, but it does not need to be one: only the user can write the 0700 cache directory, and
 * the user controls the environment. It detects an accidental change, such as other credentials, and a
 * collision between two such inputs has a chance of about 2^-32. The encoding stays unambiguous
 * because only the last value may contain a newline: KUBERNETES_EXEC_INFO, which kubectl ends with
 * one. Requests with a newline in any other value get no launcher entry.
 *
 * The entry is two lines: a header `kubeiam-launcher 1 <usable until> <expires>` (epoch seconds,
 * rounded down) and the one-line output. The fast path imports this module, so it uses node:fs and
 * node:path only.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, isPrivateMode, readPrivateFile, writePrivateFileAtomic } from './privateFile.js';
import type { Env } from './types.js';

/**
 * The variables `kubeiam token` reads when the credentials come from the environment: the request
 * (token-request.ts), the credentials (chain.ts) and the exec info kubectl passes (its apiVersion
 * selects the output format). The shell script lists the same names, generated from this array.
 * KUBERNETES_EXEC_INFO must stay last (see the module comment).
 */
export const LAUNCHER_ENV_NAMES = [
  'KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'DEFAULT_ROLE',
  'AWS_PROFILE',
  'AWS_USE_FIPS_ENDPOINT',
  'AWS_USE_DUALSTACK_ENDPOINT',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'KUBERNETES_EXEC_INFO',
] as const;

/** First line prefix of an entry; the number is the format version. */
export const LAUNCHER_HEADER = 'kubeiam-launcher 1';

export const LAUNCHER_FILE_PREFIX = 'launcher-';
export const LAUNCHER_FILE_SUFFIX = '.txt';

/** The output must look like this for the shell to print it: one ExecCredential JSON line. */
export const LAUNCHER_OUTPUT_PREFIX = '{"kind":"ExecCredential",';

/** CRC-32 (polynomial 0x04C11DB7, most significant bit first) lookup table, as POSIX cksum uses it. */
const CRC_TABLE = buildCrcTable();

function buildCrcTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 24;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
    table[byte] = crc >>> 0;
  }
  return table;
}

/**
 * Returns what POSIX `cksum` prints for `bytes` read from standard input, without the newline:
 * `<crc> <byte count>`. The CRC covers the bytes and then the byte count, least significant byte
 * first and without trailing zero bytes, and is complemented at the end.
 */
export function posixCksum(bytes: Uint8Array): string {
  let crc = 0;
  const update = (byte: number): void => {
    crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] ?? 0)) >>> 0;
  };
  for (const byte of bytes) update(byte);
  for (let length = bytes.length; length > 0; length = Math.floor(length / 256)) update(length % 256);
  return `${(~crc >>> 0).toString(10)} ${bytes.length}`;
}

/**
 * Returns the entry path for the token arguments (`token …`, as the launcher passes them) and the
 * environment, or undefined when a value other than the last contains a newline.
 */
export function launcherCachePath(dir: string, args: readonly string[], env: Env): string | undefined {
  const values = [String(args.length), ...args, ...LAUNCHER_ENV_NAMES.map((name) => env[name] ?? '')];
  if (values.slice(0, -1).some((value) => value.includes('\n'))) return undefined;

  const sum = posixCksum(new TextEncoder().encode(values.map((value) => `${value}\n`).join('')));
  return join(dir, `${LAUNCHER_FILE_PREFIX}${sum.replace(' ', '-')}${LAUNCHER_FILE_SUFFIX}`);
}

export interface LauncherEntry {
  /** Exactly what `kubeiam token` printed: one ExecCredential line. */
  readonly output: string;
  /** The ExecCredential expirationTimestamp. */
  readonly expiration: Date;
  /** The earlier of expiration and the expiry of the credentials that signed the token. */
  readonly usableUntil: Date;
}

/** Returns the file content, or undefined when the output is not one ExecCredential line. */
export function formatLauncherEntry(entry: LauncherEntry): string | undefined {
  const { output } = entry;
  if (!output.startsWith(LAUNCHER_OUTPUT_PREFIX) || !output.endsWith('}\n')) return undefined;
  if (output.indexOf('\n') !== output.length - 1) return undefined;

  const until = Math.floor(entry.usableUntil.getTime() / 1000);
  const expires = Math.floor(entry.expiration.getTime() / 1000);
  return `${LAUNCHER_HEADER} ${until} ${expires}\n${output}`;
}

/**
 * Stores the launcher entry for `args` and `env` (directory 0700, file 0600, atomic replace) unless
 * the same private file is already there. Returns the path, or undefined when the request or the
 * output cannot be served by the launcher. Throws when the directory is not private or a write fails.
 */
export function writeLauncherCache(dir: string, args: readonly string[], env: Env, entry: LauncherEntry): string | undefined {
  const path = launcherCachePath(dir, args, env);
  const content = formatLauncherEntry(entry);
  if (path === undefined || content === undefined) return undefined;

  ensurePrivateDir(dir);
  const dirMode = statSync(dir).mode;
  if (!isPrivateMode(dirMode)) {
    throw new Error(`directory ${dir} is accessible by other users (mode ${(dirMode & 0o777).toString(8)})`);
  }
  if (readPrivateFile(path) === content) return path;
  writePrivateFileAtomic(path, content);
  return path;
}

