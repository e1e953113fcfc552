/**
 * kubeiam's ExecCredential cache (`kubeiam token --exec-cache`): the last token for one request is
 * printed again while it stays usable, so a warm `kubeiam token` neither assumes a role nor signs.
 *
 * One JSON file per request, `exec-<sha256>.json`, mode 0600 in a 0700 directory. The SHA-256 covers
 * every input that changes the token: cluster, region, role, session options, endpoint variant and
 * profile. It also covers the base credentials, secret key and session token included. So a token is
 * never reused for another access key, nor after a key's secret changed. The file stores the request
 * fields (no secret) and the token. The CLI's start-up path reads it, so this module imports only
 * node:fs and node:path (see sha256.ts for why not node:crypto).
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_EXPIRY_MS, TOKEN_VALIDITY_MS } from '../token/constants.js';
import { LAUNCHER_FILE_PREFIX, LAUNCHER_FILE_SUFFIX } from './launcherCache.js';
import { ensurePrivateDir, isOwnedByProcessUser, isPrivateMode, readPrivateFile, removeQuietly, writePrivateFileAtomic } from './privateFile.js';
import { sha256Hex } from './sha256.js';
import type { Env } from './types.js';

/**
 * A cached token is printed only while more than this remains before it (or the credentials that
 * signed it) expire. kubectl and client-go keep using a credential until its expirationTimestamp,
 * which already lies 60 s before STS's 15-minute limit. This margin therefore only keeps kubeiam from
 * handing out a token that expires before the kubectl command that requested it is done.
 */
export const EXEC_CACHE_MIN_REMAINING_MS = 60 * 1000;

/** Version of the file layout and of the digest input; bump it when either changes. */
const FORMAT_VERSION = 1;

const FILE_PREFIX = 'exec-';
const FILE_SUFFIX = '.json';

/** Every request input that changes the token, apart from the credentials. */
export interface ExecCacheRequest {
  readonly clusterId: string;
  /** The resolved region, not the flag. */
  readonly region: string;
  /** '' without a role; see normalizeExecCacheRequest for the session options. */
  readonly roleArn: string;
  readonly sessionName: string;
  readonly externalId: string;
  readonly forwardSessionName: boolean;
  readonly fips: boolean;
  readonly dualStack: boolean;
  /** '' when the credentials came from the environment without a profile. */
  readonly profile: string;
}

/**
 * Returns only the request fields, with the session options cleared when no role is assumed,
 * because the token does not depend on them then (aws-iam-authenticator ignores them without `--role`).
 */
export function normalizeExecCacheRequest(request: ExecCacheRequest): ExecCacheRequest {
  const withRole = request.roleArn !== '';
  return {
    clusterId: request.clusterId,
    region: request.region,
    roleArn: request.roleArn,
    fips: request.fips,
    dualStack: request.dualStack,
    profile: request.profile,
    sessionName: withRole ? request.sessionName : '',
    externalId: withRole ? request.externalId : '',
    forwardSessionName: withRole && request.forwardSessionName,
  };
}

/** The base credentials (before any assume-role) the token derives from. */
export interface ExecCacheCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface CachedToken {
  readonly token: string;
  /** The ExecCredential expirationTimestamp printed with the token. */
  readonly expiration: Date;
  /** The earlier of expiration and the expiry of the credentials that signed the token. */
  readonly usableUntil: Date;
}

export type ExecCacheLookup =
  | { readonly status: 'hit'; readonly path: string; readonly cached: CachedToken }
  | { readonly status: 'miss'; readonly path: string }
  /** The directory or file gives the group or others access, or another user owns it, so the cache is not used. */
  | { readonly status: 'not-private'; readonly path: string };

interface ExecCacheFile {
  readonly version: number;
  readonly request: ExecCacheRequest & { readonly accessKeyId: string };
  readonly token: string;
  readonly expirationTimestamp: string;
  /** The earlier of expirationTimestamp and the signing credentials' expiry. */
  readonly usableUntil: string;
}

/**
 * Returns the cache directory: `$XDG_CACHE_HOME/kubeiam` when XDG_CACHE_HOME is an absolute path
 * (the XDG spec ignores relative ones), else `<home>/.cache/kubeiam`.
 */
export function execCacheDir(env: Env, homeDir: string): string {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg.startsWith('/')) return join(xdg, 'kubeiam');
  return join(homeDir, '.cache', 'kubeiam');
}

/** Returns the file of one request signed with one set of credentials. */
export function execCachePath(dir: string, request: ExecCacheRequest, credentials: ExecCacheCredentials): string {
  // A JSON array encodes its strings unambiguously, so no two inputs share a digest input.
  const digest = sha256Hex(
    JSON.stringify([
      FORMAT_VERSION,
      ...requestFields(request),
      credentials.accessKeyId,
      credentials.secretAccessKey,
      credentials.sessionToken ?? '',
    ]),
  );
  return join(dir, `${FILE_PREFIX}${digest}${FILE_SUFFIX}`);
}

/**
 * Looks up the token for a request. A hit needs a private directory and file that this user owns, the same request and
 * access key, and more than EXEC_CACHE_MIN_REMAINING_MS left. An unreadable or malformed file is a
 * miss (the next write replaces it). NOTE: Node reports mode 0o666 for every file on Windows, so
 * the privacy check rejects the cache there.
 */
export function readExecCache(
  dir: string,
  request: ExecCacheRequest,
  credentials: ExecCacheCredentials,
  now: Date,
): ExecCacheLookup {
  const path = execCachePath(dir, request, credentials);
  const dirStats = statsOf(dir);
  if (dirStats === undefined) return { status: 'miss', path };
  if (!isPrivateMode(dirStats.mode) || !isOwnedByProcessUser(dirStats.uid)) return { status: 'not-private', path: dir };

  const read = readPrivateFile(path);
  if (read === 'not-private') return { status: 'not-private', path };
  if (read === undefined) return { status: 'miss', path };

  const cached = decodeEntry(read, request, credentials.accessKeyId, now);
  return cached === undefined ? { status: 'miss', path } : { status: 'hit', path, cached };
}

export interface ExecCacheWrite {
  readonly token: string;
  readonly expiration: Date;
  /** When the credentials that signed the token expire, if they do. */
  readonly credentialsExpiration?: Date;
}

/**
 * Stores the token for a request (directory 0700, file 0600, atomic replace) and deletes other
 * entries old enough to be useless. Throws when the directory is not private or a write fails.
 */
export function writeExecCache(
  dir: string,
  request: ExecCacheRequest,
  credentials: ExecCacheCredentials,
  entry: ExecCacheWrite,
  now: Date,
): string {
  ensurePrivateDir(dir);
  const dirMode = statsOf(dir)?.mode;
  if (dirMode !== undefined && !isPrivateMode(dirMode)) {
    throw new Error(`directory ${dir} is accessible by other users (mode ${(dirMode & 0o777).toString(8)})`);
  }

  const path = execCachePath(dir, request, credentials);
  const usableUntil = Math.min(entry.expiration.getTime(), entry.credentialsExpiration?.getTime() ?? Infinity);
  const file: ExecCacheFile = {
    version: FORMAT_VERSION,
    request: { ...normalizeExecCacheRequest(request), accessKeyId: credentials.accessKeyId },
    token: entry.token,
    expirationTimestamp: entry.expiration.toISOString(),
    usableUntil: new Date(usableUntil).toISOString(),
  };
  writePrivateFileAtomic(path, `${JSON.stringify(file)}\n`);
  pruneStaleEntries(dir, now);
  return path;
}

/**
 * Deletes exec-cache and launcher entries written more than 15 minutes ago, because their tokens
 * have expired at STS.
 */
function pruneStaleEntries(dir: string, now: Date): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!isCacheEntryName(name)) continue;
    const path = join(dir, name);
    try {
      if (now.getTime() - statSync(path).mtimeMs > TOKEN_VALIDITY_MS) removeQuietly(path);
    } catch {
      // Removed by another process meanwhile.
    }
  }
}

function isCacheEntryName(name: string): boolean {
  if (name.startsWith(FILE_PREFIX) && name.endsWith(FILE_SUFFIX)) return true;
  return name.startsWith(LAUNCHER_FILE_PREFIX) && name.endsWith(LAUNCHER_FILE_SUFFIX);
}

function requestFields(original: ExecCacheRequest): Array<string | boolean> {
  const request = normalizeExecCacheRequest(original);
  return [
    request.clusterId,
    request.region,
    request.roleArn,
    request.sessionName,
    request.externalId,
    request.forwardSessionName,
    request.fips,
    request.dualStack,
    request.profile,
  ];
}

function decodeEntry(text: string, request: ExecCacheRequest, accessKeyId: string, now: Date): CachedToken | undefined {
  let file: Partial<ExecCacheFile>;
  try {
    file = JSON.parse(text) as Partial<ExecCacheFile>;
  } catch {
    return undefined;
  }
  if (file.version !== FORMAT_VERSION || typeof file.token !== 'string' || file.request === undefined) return undefined;
  if (file.request.accessKeyId !== accessKeyId) return undefined;
  if (JSON.stringify(requestFields(file.request)) !== JSON.stringify(requestFields(request))) return undefined;

  const expiration = new Date(String(file.expirationTimestamp));
  const usableUntil = new Date(String(file.usableUntil));
  if (Number.isNaN(expiration.getTime()) || Number.isNaN(usableUntil.getTime())) return undefined;

  const remaining = Math.min(expiration.getTime(), usableUntil.getTime()) - now.getTime();
  // A token that expires later than a fresh one would was signed by a clock ahead of ours.
  const signedInFuture = expiration.getTime() - now.getTime() > CLIENT_EXPIRY_MS;
  if (remaining <= EXEC_CACHE_MIN_REMAINING_MS || signedInFuture) return undefined;
  return { token: file.token, expiration, usableUntil };
}

function statsOf(path: string): { readonly mode: number; readonly uid: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

