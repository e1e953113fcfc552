/**
 * The STS host allow-list of aws-iam-authenticator 0.7.18: a token may only name a host that an AWS
 * SDK client would presign for, inside the server's partition, or the server region's own STS host.
 * Hosts are compared as exact strings, so a port, upper case or a trailing dot rejects them.
 */
import { getPartition, isPartitionId } from '../arn/index.js';
import { GLOBAL_STS_REGION_LABEL, MAX_HOST_CACHE_ENTRIES } from './constants.js';
import { candidateStsHosts, defaultStsHostsForRegion, getStsRegion, isValidRegion } from './endpoints.js';
import { formatError, TokenError } from './errors.js';
import { goQuote, textToRaw } from './goText.js';

/**
 * Accepted hosts of one verifier. An accepted host stays accepted (the result depends only on the
 * host and the verifier's fixed partition and region), so the cache only saves work. When it is
 * full, the oldest entry is dropped.
 */
export class HostCache {
  readonly maxEntries: number;
  readonly #hosts = new Set<string>();

  /** @param maxEntries Default: 1024. */
  constructor(maxEntries: number = MAX_HOST_CACHE_ENTRIES) {
    this.maxEntries = maxEntries;
  }

  has(host: string): boolean {
    return this.#hosts.has(host);
  }

  add(host: string): void {
    if (this.#hosts.has(host)) return;
    if (this.#hosts.size >= this.maxEntries) {
      const oldest = this.#hosts.values().next();
      if (oldest.done !== true) this.#hosts.delete(oldest.value);
    }
    this.#hosts.add(host);
  }

  get size(): number {
    return this.#hosts.size;
  }
}

export interface HostPolicy {
  /** The server's partition ID; unknown IDs reject every host. */
  readonly partition: string;
  /** The server's own region; '' when unknown. */
  readonly region: string;
  /** Cache of accepted hosts. Default: none. */
  readonly cache?: HostCache;
}

/**
 * Throws a TokenError unless the token may be sent to `host`, and caches accepted hosts. `rawHost` is
 * the host as bytes (one character per byte), so a message quotes an invalid UTF-8 byte as Go does.
 */
export function verifyStsHost(host: string, policy: HostPolicy, rawHost: string = textToRaw(host)): void {
  if (policy.cache?.has(host) === true) return;
  checkHost(host, policy, rawHost);
  policy.cache?.add(host);
}

function checkHost(host: string, policy: HostPolicy, rawHost: string): void {
  const hostRegion = regionOfHost(host);
  if (hostRegion === GLOBAL_STS_REGION_LABEL) {
    if (policy.partition === 'aws') return;
    throw formatError(`global endpoint unsupported in partition ${policy.partition}`, { host });
  }
  if (!isValidRegion(hostRegion)) {
    throw formatError(`invalid region identifier format provided: ${hostRegion}`, { host });
  }

  if (!candidateStsHosts(hostRegion).includes(host)) {
    checkServerRegionHost(host, policy, rawHost);
    return;
  }
  checkPartitionDomain(host, policy.partition);
}

function regionOfHost(host: string): string {
  try {
    return getStsRegion(host);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
    throw formatError(`could not parse region for pre-signed URL ${host}, ${error.message}`, { host });
  }
}

/** Accepts a host no SDK endpoint matches only if it is the server region's own STS host. */
function checkServerRegionHost(host: string, policy: HostPolicy, rawHost: string): void {
  let allowed: string[] = [];
  try {
    allowed = defaultStsHostsForRegion(policy.partition, policy.region);
  } catch (error) {
    if (!(error instanceof TokenError)) throw error;
  }
  if (!allowed.includes(host)) throw formatError(`unexpected hostname ${goQuote(rawHost)} in pre-signed URL`, { host });
}

/** Accepts an SDK endpoint host only if its domain belongs to the server's partition. */
function checkPartitionDomain(host: string, partitionId: string): void {
  const labels = host.split('.');
  if (labels.length < 4) throw new TokenError('TOKEN_HOST', `invalid host format, too few labels: ${host}`, { host });
  if (!isPartitionId(partitionId)) throw new TokenError('TOKEN_HOST', `partition ${partitionId} not valid`, { host });

  const partition = getPartition(partitionId);
  const domain = labels.slice(2).join('.');
  const dualStack = partition.stsDualStackDomain;
  if (domain === partition.stsDomain || (dualStack !== '' && domain === dualStack)) return;
  throw formatError(`partition {${partitionId}} does not support hostname ${host}`, { host });
}
