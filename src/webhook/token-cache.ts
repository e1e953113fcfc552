import { createHash } from 'node:crypto';
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

interface Entry {
  readonly identity: Identity;
  /** Epoch ms after which the entry is stale. */
  readonly expiresAt: number;
}

/**
 * Wraps a verifier with a cache of successful STS verifications, so repeated reviews of one token do
 * not call STS each time. Entries are keyed by the SHA-256 of the token, so the token itself is never
 * stored. An entry expires at the earlier of two instants: the end of the token's window (X-Amz-Date
 * + 15 min, when the verifier starts rejecting it) and `ttlMs` after the verification. Failures are
 * never cached.
 */
export function createCachingVerifier(inner: TokenVerifierLike, options: TokenCacheOptions): TokenVerifierLike {
  const cache = new LruCache<string, Entry>(options.maxEntries ?? 4096);
  const ttlMs = options.ttlMs ?? 60_000;

  return {
    async verify(token) {
      const key = createHash('sha256').update(token, 'utf8').digest('hex');
      const now = options.clock().getTime();
      const entry = cache.get(key);
      if (entry !== undefined && now <= entry.expiresAt) {
        options.onLookup?.('hit');
        return entry.identity;
      }
      if (entry !== undefined) cache.delete(key);

      options.onLookup?.('miss');
      const identity = await inner.verify(token);
      const windowEnd = tokenWindowEnd(token, options);
      const expiresAt = Math.min(windowEnd ?? Number.NEGATIVE_INFINITY, now + ttlMs);
      if (expiresAt >= options.clock().getTime()) cache.set(key, { identity, expiresAt });
      return identity;
    },
  };
}

/**
 * Returns the last epoch ms at which the verifier still accepts the token, or undefined when the
 * token cannot be read (then nothing is cached).
 */
function tokenWindowEnd(token: string, options: TokenCacheOptions): number | undefined {
  try {
    const parsed = parseToken(token, { partition: options.partition, region: options.region, now: options.clock() });
    return parsed.date.epochMs + TOKEN_VALIDITY_MS;
  } catch {
    return undefined;
  }
}
