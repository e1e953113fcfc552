import { KubeiamError } from '../errors.js';
import { LruCache } from './lru.js';
import { SYSTEM_CLOCK, TokenBucket, type RateLimitClock } from './rate-limit.js';

/** One instance in a DescribeInstances response. */
export interface InstanceDnsName {
  readonly instanceId: string;
  readonly privateDnsName: string;
}

/** Calls EC2 DescribeInstances for at most 100 instance IDs. */
export type DescribeInstances = (instanceIds: readonly string[]) => Promise<readonly InstanceDnsName[]>;

export interface PrivateDnsResolverOptions {
  readonly describeInstances: DescribeInstances;
  /** DescribeInstances calls per second; 0 means no limit. Default: 15 (aws-iam-authenticator's default). */
  readonly qps?: number;
  /** Calls allowed at once after a quiet period. Default: 5. */
  readonly burst?: number;
  /** Resolved names kept, least recently used evicted first. Default: 10 000. */
  readonly maxCacheEntries?: number;
  /** Time lookups wait to share one call, in ms. Default: 10. */
  readonly batchWindowMs?: number;
  /** Instance IDs per call; EC2 accepts up to 1000, aws-iam-authenticator sends 100. Default: 100. */
  readonly maxBatchSize?: number;
  /** Called once per DescribeInstances call, e.g. to count `ec2_describe_instances_calls_total`. */
  readonly onCall?: () => void;
  readonly clock?: RateLimitClock;
}

export interface PrivateDnsResolver {
  /** Returns the instance's private DNS name; rejects with Ec2LookupError. */
  lookup(instanceId: string): Promise<string>;
  /** Number of cached names. */
  readonly cacheSize: number;
}

export type Ec2LookupErrorCode = 'EC2_INSTANCE_NOT_FOUND' | 'EC2_DESCRIBE_FAILED';

export class Ec2LookupError extends KubeiamError {
  declare readonly code: Ec2LookupErrorCode;

  constructor(code: Ec2LookupErrorCode, message: string, instanceId: string) {
    super(code, message, { instanceId });
    this.name = 'Ec2LookupError';
  }
}

interface Pending {
  readonly instanceId: string;
  resolve(name: string): void;
  reject(error: Error): void;
}

/** EC2 error codes that concern single IDs of a batch; the batch is then retried one ID at a time. */
const PER_ID_ERRORS = /^InvalidInstanceID\./;

/**
 * Creates the `{{EC2PrivateDNSName}}` lookup. Concurrent lookups of one ID share one promise.
 * Different IDs within `batchWindowMs` share one DescribeInstances call of up to `maxBatchSize` IDs,
 * and every call waits for a token of the rate limiter. Names are cached without expiry, because an
 * instance keeps its private DNS name for its whole life and IDs are never reused; the cache is
 * bounded. Empty names and failures are not cached.
 */
export function createPrivateDnsResolver(options: PrivateDnsResolverOptions): PrivateDnsResolver {
  const cache = new LruCache<string, string>(options.maxCacheEntries ?? 10_000);
  const inFlight = new Map<string, Promise<string>>();
  const limiter = new TokenBucket(options.qps ?? 15, options.burst ?? 5, options.clock ?? SYSTEM_CLOCK);
  const maxBatch = options.maxBatchSize ?? 100;
  let queue: Pending[] = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = (): void => {
    clearTimeout(timer);
    timer = undefined;
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(maxBatch);
      void describeBatch(batch, { ...options, limiter, cache });
    }
  };

  return {
    get cacheSize() {
      return cache.size;
    },
    lookup(instanceId) {
      const cached = cache.get(instanceId);
      if (cached !== undefined) return Promise.resolve(cached);
      const shared = inFlight.get(instanceId);
      if (shared !== undefined) return shared;

      const promise = new Promise<string>((resolve, reject) => {
        queue.push({ instanceId, resolve, reject });
      }).finally(() => inFlight.delete(instanceId));
      inFlight.set(instanceId, promise);

      if (queue.length >= maxBatch) flush();
      else timer ??= setTimeout(flush, options.batchWindowMs ?? 10);
      return promise;
    },
  };
}

interface BatchContext extends PrivateDnsResolverOptions {
  readonly limiter: TokenBucket;
  readonly cache: LruCache<string, string>;
}

async function describeBatch(batch: readonly Pending[], context: BatchContext): Promise<void> {
  let instances: readonly InstanceDnsName[];
  try {
    instances = await callDescribe(batch.map((pending) => pending.instanceId), context);
  } catch (error) {
    if (batch.length > 1 && PER_ID_ERRORS.test(errorCode(error))) {
      await Promise.all(batch.map((pending) => describeBatch([pending], context)));
      return;
    }
    for (const pending of batch) {
      pending.reject(
        new Ec2LookupError('EC2_DESCRIBE_FAILED', `failed querying private DNS from EC2 API for node ${pending.instanceId}: ${errorText(error)}`, pending.instanceId),
      );
    }
    return;
  }

  const names = new Map(instances.map((instance) => [instance.instanceId, instance.privateDnsName]));
  for (const pending of batch) {
    const name = names.get(pending.instanceId) ?? '';
    if (name === '') {
      pending.reject(new Ec2LookupError('EC2_INSTANCE_NOT_FOUND', `failed to find node ${pending.instanceId}: the instance has no private DNS name or does not exist`, pending.instanceId));
      continue;
    }
    context.cache.set(pending.instanceId, name);
    pending.resolve(name);
  }
}

async function callDescribe(instanceIds: readonly string[], context: BatchContext): Promise<readonly InstanceDnsName[]> {
  await context.limiter.acquire();
  context.onCall?.();
  return context.describeInstances(instanceIds);
}

function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const record = error as { name?: unknown; Code?: unknown };
  if (typeof record.Code === 'string') return record.Code;
  return typeof record.name === 'string' ? record.name : '';
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
