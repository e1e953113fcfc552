import * as crypto from 'node:crypto';
import type { Identity } from '../arn/identity.js';
import { LruCache } from '../ec2/lru.js';
import { parseToken, TOKEN_VALIDITY_MS } from '../token/index.js';
import type { TokenVerifierLike } from './handler.js';

export interface TokenCacheOptions {
  /** Verified tokens kept, least recently used evicted first. Default: 4096. */
  readonly maxEntries?: number;
  /** Maximum time an entry is used, in ms; the token's own window may end sooner. Default: 60 000. */
  readonly ttlMs?: number;
  readonly clock: () => Date;
  /** The verifier's partition and region, to read X-Amz-Date with the same checks. */
  readonly partition: string;
  readonly region: string;
  /** Called with `hit` or `miss` for each verification, for the metric. */
  readonly onLookup?: (result: 'hit' | 'miss') => void;
}

/** One verified token: the SHA-256 of the token, its identity and when the entry goes stale. */
export interface TokenCacheEntry {
  readonly key: string;
  readonly identity: Identity;
  /** Epoch ms after which the entry is stale. */
  readonly expiresAt: number;
}

interface Entry extends TokenCacheEntry {
  /** Whether `verify` served the token from this entry at least once. */
  repeated: boolean;
}

/** A verifier with a cache of successful verifications that a response cache can build on. */
export interface CachingVerifier extends TokenVerifierLike {
  /**
   * Returns the cache entry that contains `identity` for `token` when `verify` already served the
   * token from it once. Returns undefined for a token that is not cached (a failed or uncacheable
   * verification), was verified only once, or whose entry contains another identity.
   */
  entryFor(token: string, identity: Identity): TokenCacheEntry | undefined;
  /**
   * Uses `entry` as `verify` would use it on a hit: when it is still the cached, unexpired entry of
   * its token, marks it recently used, counts a hit and returns true. Otherwise returns false and
   * counts nothing, so the caller's following `verify` counts the miss.
   */
  reuse(entry: TokenCacheEntry): boolean;
}

/**
 * Wraps a verifier with a cache of successful STS verifications, so repeated reviews of one token do
 * not call STS each time. Entries are keyed by the SHA-256 of the token, so the token itself is never
 * stored. An entry expires at the earlier of two instants: the end of the token's window (X-Amz-Date
 * + 15 min, when the verifier starts rejecting it) and `ttlMs` after the verification. Failures are
 * never cached.
 */
export function createCachingVerifier(inner: TokenVerifierLike, options: TokenCacheOptions): CachingVerifier {
  const cache = new LruCache<string, Entry>(options.maxEntries ?? 4096);
  const ttlMs = options.ttlMs ?? 60_000;

  return {
    async verify(token) {
      const key = hashToken(token);
      const now = options.clock().getTime();
      const entry = cache.get(key);
      if (entry !== undefined && now <= entry.expiresAt) {
        entry.repeated = true;
        options.onLookup?.('hit');
        return entry.identity;
      }
      if (entry !== undefined) cache.delete(key);

      options.onLookup?.('miss');
      const verified = await verifyWithDate(inner, token, options);
      const windowEnd = verified.signedAtMs === undefined ? Number.NEGATIVE_INFINITY : verified.signedAtMs + TOKEN_VALIDITY_MS;
      const expiresAt = Math.min(windowEnd, now + ttlMs);
      if (expiresAt >= options.clock().getTime()) cache.set(key, { key, identity: verified.identity, expiresAt, repeated: false });
      return verified.identity;
    },

    entryFor(token, identity) {
      const entry = cache.get(hashToken(token));
      return entry?.repeated === true && entry.identity === identity ? entry : undefined;
    },

    reuse(entry) {
      if (cache.get(entry.key) !== entry || options.clock().getTime() > entry.expiresAt) return false;
      options.onLookup?.('hit');
      return true;
    },
  };
}

/** SHA-256 of the token as hex. `crypto.hash` is a one-shot call from Node 20.12 on, and `createHash` works on every Node 20. */
const hashToken: (token: string) => string =
  typeof crypto.hash === 'function'
    ? (token) => crypto.hash('sha256', token, 'hex')
    : (token) => crypto.createHash('sha256').update(token, 'utf8').digest('hex');

/**
 * Verifies with the inner verifier and returns the token's X-Amz-Date with the identity. A verifier
 * with `verifyToken` returns the date it parsed itself. For any other verifier the token is parsed
 * here; a token that cannot be read gets no date, so nothing is cached.
 */
async function verifyWithDate(
  inner: TokenVerifierLike,
  token: string,
  options: TokenCacheOptions,
): Promise<{ readonly identity: Identity; readonly signedAtMs?: number }> {
  if (inner.verifyToken !== undefined) return inner.verifyToken(token);

  const identity = await inner.verify(token);
  try {
    const parsed = parseToken(token, { partition: options.partition, region: options.region, now: options.clock() });
    return { identity, signedAtMs: parsed.date.epochMs };
  } catch {
    return { identity };
  }
}
