/**
 * The `--cache` credential file cache of aws-iam-authenticator 0.7.18: base credentials (before any
 * assume-role) stored per (cluster ID, profile, role ARN) in a YAML file both programs can share.
 *
 * Differences from the Go implementation, because Node has no flock(2):
 * - Readers take no lock. Writers replace the file by renaming a complete temporary file over it,
 *   so a reader always sees a whole file.
 * - Writers serialise on a `<file>.lock` file created with O_EXCL (see lockFile.ts), re-read the
 *   file under the lock and write the merged result, so concurrent writers lose no entry.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { KubeiamError } from '../errors.js';
import { CacheFormatError, formatCacheFile, parseCacheFile, type CacheEntries, type CachedCredential } from './cacheYaml.js';
import { acquireLock, type LockOptions } from './lockFile.js';
import { ensurePrivateDir, fsErrorText, isPrivateMode, writePrivateFileAtomic } from './privateFile.js';
import type { AwsCredentials, Env } from './types.js';

/** Environment variable that overrides the cache file path, shared with aws-iam-authenticator. */
export const CACHE_FILE_ENV = 'AWS_IAM_AUTHENTICATOR_CACHE_FILE';

export type CacheErrorCode = 'CACHE_NOT_PRIVATE' | 'CACHE_READ_FAILED' | 'CACHE_PARSE_FAILED';

/** Error that makes the cache unusable; the caller then continues without it. */
export class CacheError extends KubeiamError {
  override readonly code: CacheErrorCode;
  readonly path: string;
  /** The underlying error text ('' for CACHE_NOT_PRIVATE). */
  readonly detail: string;

  constructor(code: CacheErrorCode, message: string, path: string, detail = '') {
    super(code, message, { path });
    this.name = 'CacheError';
    this.code = code;
    this.path = path;
    this.detail = detail;
  }
}

export type CacheWarningCode = 'CACHE_FILE_MISSING' | 'CACHE_NOT_EXPIRING' | 'CACHE_WRITE_FAILED';

/** Something the user may want to know; the credentials are still returned. */
export interface CacheWarning {
  readonly code: CacheWarningCode;
  readonly path: string;
  /** English text in aws-iam-authenticator's wording, for logs. */
  readonly message: string;
  /** The underlying error text of CACHE_WRITE_FAILED. */
  readonly detail?: string;
}

/** Credentials as a provider returns them, with the fields the cache file records. */
export interface ProvidedCredentials extends AwsCredentials {
  /** Provider name written to `source`. Default: ''. */
  readonly source?: string;
  readonly accountId?: string;
}

export type CredentialProvider = () => Promise<ProvidedCredentials>;

export interface CredentialFileCacheOptions {
  /** Cache file; see defaultCacheFilePath. */
  readonly path: string;
  readonly clusterId: string;
  /** Profile name; aws-iam-authenticator uses AWS_PROFILE, or `default`. */
  readonly profile: string;
  /** Role ARN to be assumed with the credentials; '' without a role. */
  readonly roleArn: string;
  /** Source of fresh base credentials, called on a cache miss. */
  readonly provider: CredentialProvider;
  readonly clock: () => Date;
  readonly onWarning?: (warning: CacheWarning) => void;
  readonly lock?: LockOptions;
}

/**
 * Returns the cache file path: AWS_IAM_AUTHENTICATOR_CACHE_FILE when non-empty, else
 * `<home>/.kube/cache/aws-iam-authenticator/credentials.yaml`.
 */
export function defaultCacheFilePath(env: Env, homeDir: string): string {
  const override = env[CACHE_FILE_ENV];
  if (override) return override;
  return join(homeDir, '.kube', 'cache', 'aws-iam-authenticator', 'credentials.yaml');
}

/**
 * Opens the cache: creates its directory (0700), refuses a file that is not private, and reads the
 * entry for the key. Throws CacheError; a missing file is only a warning.
 */
export function openCredentialFileCache(options: CredentialFileCacheOptions): CredentialFileCache {
  const { path } = options;
  try {
    ensurePrivateDir(dirname(path));
  } catch {
    // As in aws-iam-authenticator, a directory that cannot be created shows up when reading or writing.
  }

  const text = readCacheText(path);
  if (text === undefined) {
    options.onWarning?.({ code: 'CACHE_FILE_MISSING', path, message: `Cache file ${path} does not exist.` });
    return new CredentialFileCache(options, undefined);
  }
  const entries = parseOrThrow(text, path);
  return new CredentialFileCache(options, entryFor(entries, options));
}

export class CredentialFileCache {
  readonly #options: CredentialFileCacheOptions;
  #cached: CachedCredential | undefined;

  constructor(options: CredentialFileCacheOptions, cached: CachedCredential | undefined) {
    this.#options = options;
    this.#cached = cached;
  }

  /** The entry read for the key, if any (for inspection and tests). */
  get cached(): CachedCredential | undefined {
    return this.#cached;
  }

  /**
   * Returns the cached credentials while they have keys and have not expired; otherwise calls the
   * provider and, when its credentials can expire, stores them.
   */
  async retrieve(): Promise<ProvidedCredentials> {
    const cached = this.#cached;
    if (cached !== undefined && hasKeys(cached) && !this.isExpired()) return toProvided(cached);

    const fresh = await this.#options.provider();
    if (fresh.expiration === undefined) {
      this.#warn('CACHE_NOT_EXPIRING', "Unable to cache credential: credential doesn't support expiration");
      return fresh;
    }
    const entry = toCached(fresh);
    await this.#store(entry);
    this.#cached = entry;
    return fresh;
  }

  /** Reports whether the cached entry can expire and has expired (an entry that cannot expire never does). */
  isExpired(): boolean {
    const cached = this.#cached;
    if (cached === undefined || !cached.canExpire) return false;
    return !(cached.expires !== undefined && cached.expires.getTime() > this.#options.clock().getTime());
  }

  /** Returns the cached entry's `expires`, or undefined. */
  expiresAt(): Date | undefined {
    return this.#cached?.expires;
  }

  async #store(entry: CachedCredential): Promise<void> {
    const { path, clusterId, profile, roleArn } = this.#options;
    let lock;
    try {
      // The lock compares file times with the system clock, never with the injected one.
      lock = await acquireLock(`${path}.lock`, this.#options.lock);
    } catch (error) {
      this.#warn('CACHE_WRITE_FAILED', `Unable to cache credential: ${fsErrorText(error)}`, fsErrorText(error));
      return;
    }
    try {
      // Re-read under the lock so entries another process wrote meanwhile are kept.
      const entries = readEntriesOrEmpty(path);
      setEntry(entries, clusterId, profile, roleArn, entry);
      writePrivateFileAtomic(path, formatCacheFile(entries));
    } catch (error) {
      this.#warn('CACHE_WRITE_FAILED', `Unable to cache credential: ${fsErrorText(error)}`, fsErrorText(error));
    } finally {
      lock.release();
    }
  }

  #warn(code: CacheWarningCode, message: string, detail?: string): void {
    this.#options.onWarning?.({ code, path: this.#options.path, message, ...(detail === undefined ? {} : { detail }) });
  }
}

/** Reads the file after the privacy check; undefined when it does not exist. */
function readCacheText(path: string): string | undefined {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw readError(path, error);
  }
  if (!isPrivateMode(mode)) {
    throw new CacheError('CACHE_NOT_PRIVATE', `cache file ${path} is not private`, path);
  }
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw readError(path, error);
  }
}

function readError(path: string, error: unknown): CacheError {
  const detail = fsErrorText(error);
  return new CacheError('CACHE_READ_FAILED', `unable to read cache file ${path}: ${detail}`, path, detail);
}

function parseOrThrow(text: string, path: string): CacheEntries {
  try {
    return parseCacheFile(text);
  } catch (error) {
    if (!(error instanceof CacheFormatError)) throw error;
    throw new CacheError('CACHE_PARSE_FAILED', `unable to parse file ${path}: ${error.message}`, path, error.message);
  }
}

/** Reads the current entries for a rewrite; a missing, unreadable or broken file counts as empty. */
function readEntriesOrEmpty(path: string): CacheEntries {
  try {
    return parseCacheFile(readFileSync(path, 'utf8'));
  } catch {
    return new Map();
  }
}

function entryFor(entries: CacheEntries, key: { clusterId: string; profile: string; roleArn: string }): CachedCredential | undefined {
  return entries.get(key.clusterId)?.get(key.profile)?.get(key.roleArn);
}

function setEntry(entries: CacheEntries, clusterId: string, profile: string, roleArn: string, entry: CachedCredential): void {
  let profiles = entries.get(clusterId);
  if (profiles === undefined) entries.set(clusterId, (profiles = new Map()));
  let roles = profiles.get(profile);
  if (roles === undefined) profiles.set(profile, (roles = new Map()));
  roles.set(roleArn, entry);
}

function hasKeys(credential: CachedCredential): boolean {
  return credential.accessKeyId !== '' && credential.secretAccessKey !== '';
}

function toProvided(cached: CachedCredential): ProvidedCredentials {
  return {
    accessKeyId: cached.accessKeyId,
    secretAccessKey: cached.secretAccessKey,
    ...(cached.sessionToken !== '' ? { sessionToken: cached.sessionToken } : {}),
    ...(cached.canExpire && cached.expires !== undefined ? { expiration: cached.expires } : {}),
    source: cached.source,
    accountId: cached.accountId,
  };
}

function toCached(fresh: ProvidedCredentials): CachedCredential {
  return {
    accessKeyId: fresh.accessKeyId,
    secretAccessKey: fresh.secretAccessKey,
    sessionToken: fresh.sessionToken ?? '',
    source: fresh.source ?? '',
    canExpire: true,
    expires: fresh.expiration,
    accountId: fresh.accountId ?? '',
  };
}
