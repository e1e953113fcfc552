import * as crypto from 'node:crypto';
import type { Identity } from '../arn/identity.js';
import { LruCache } from '../ec2/lru.js';
import type { CachingVerifier, TokenCacheEntry } from './token-cache.js';

export interface ResponseCacheOptions {
  /** The verified-token cache that the handler verifies with. Each entry lives only as long as its token's entry there. */
  readonly tokenCache: CachingVerifier;
  /**
   * Version of the mappings, which changes whenever any mapping source changes. Undefined when some
   * source cannot report its changes, and then nothing is stored or served.
   */
  readonly mappingGeneration: () => number | undefined;
  /** Bodies kept, least recently used evicted first. Default: 4096, the token cache's default. */
  readonly maxEntries?: number;
}

interface Entry<Value> {
  readonly token: TokenCacheEntry;
  readonly generation: number;
  readonly value: Value;
}

/**
 * Largest body that is hashed and reused. Verified tokens are at most 4096 bytes, so kube-apiserver's
 * bodies stay far below this. The bound keeps a client with 1 MiB bodies from making each request
 * hash its whole body.
 */
export const MAX_REUSABLE_BODY_BYTES = 16 * 1024;

/** SHA-256 of a body as base64. `crypto.hash` is a one-shot call from Node 20.12 on, and `createHash` works on every Node 20. */
const sha256: (data: Uint8Array) => string =
  typeof crypto.hash === 'function'
    ? (data) => crypto.hash('sha256', data, 'base64')
    : (data) => crypto.createHash('sha256').update(data).digest('base64');

/**
 * Reuses the outcome built for a request body when the same bytes arrive again. kube-apiserver sends
 * byte-identical TokenReview bodies for one token, and decoding, verifying, mapping and encoding then
 * give the same result as long as three conditions hold. First, the token's entry in the
 * verified-token cache is still live, so its 15-minute window and the cache TTL bound the reuse.
 * Second, the mapping generation has not changed. Third, the mapping depended on nothing else.
 * Keys are SHA-256 digests of the body, so no token is stored and a body never gets the outcome of
 * another. The caller stores only outcomes that the uncached path would reproduce: successes, never
 * STS failures or throttling.
 */
export class ResponseCache<Value> {
  readonly #entries: LruCache<string, Entry<Value>>;
  readonly #options: ResponseCacheOptions;

  constructor(options: ResponseCacheOptions) {
    this.#entries = new LruCache(options.maxEntries ?? 4096);
    this.#options = options;
  }

  /**
   * Returns the cache key of a body. Returns undefined for a body larger than
   * MAX_REUSABLE_BODY_BYTES, and while the mappings cannot be tracked.
   */
  keyOf(body: Uint8Array): string | undefined {
    if (body.length > MAX_REUSABLE_BODY_BYTES || this.#options.mappingGeneration() === undefined) return undefined;
    return sha256(body);
  }

  /**
   * Returns the mapping generation. Read it before verifying and mapping, and pass it to `store`,
   * so an outcome built while the mappings changed is never stored.
   */
  generation(): number | undefined {
    return this.#options.mappingGeneration();
  }

  /**
   * Returns the stored value of `key` while it is valid, counting a token-cache hit as the verifier
   * would. Drops an entry whose token entry expired or was evicted, or whose mapping generation is old.
   */
  lookup(key: string): Value | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.generation !== this.#options.mappingGeneration() || !this.#options.tokenCache.reuse(entry.token)) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /**
   * Stores `value` under `key` when the mapping generation still equals `generation` and the token
   * cache contains `identity` for a token it had already seen before this request. A token reviewed
   * only once is not stored, because storing it would only cost time and memory.
   */
  store(key: string, generation: number | undefined, token: string, identity: Identity, value: Value): void {
    if (generation === undefined || generation !== this.#options.mappingGeneration()) return;
    const tokenEntry = this.#options.tokenCache.entryFor(token, identity);
    if (tokenEntry === undefined) return;
    this.#entries.set(key, { token: tokenEntry, generation, value });
  }
}
