import type { KubeConfig } from '@kubernetes/client-node';
import type { Identity } from '../arn/identity.js';
import type { MappingSource, MatchedMapping } from '../mapping/types.js';
import type { KubeError } from './errors.js';
import {
  createIamIdentityMappingWriter,
  startIamIdentityMappingController,
  type IamIdentityMappingController,
  type IamIdentityMappingWriter,
} from './iamidentitymapping-controller.js';
import { startIamIdentityMappingInformer, type IamIdentityMapping, type IamIdentityMappingEvent } from './iamidentitymapping.js';

/** aws-iam-authenticator's informer resync period: every 10 h each mapping is synced again. */
export const IAM_IDENTITY_MAPPING_RESYNC_MS = 10 * 60 * 60 * 1000;

export interface IamIdentityMappingSourceOptions {
  readonly kubeConfig: KubeConfig;
  /** Source name in messages. Default: `CRD`. */
  readonly name?: string;
  /** Usernames with these prefixes are denied (`server.reservedPrefixConfig` for `CRD`). Default: none. */
  readonly reservedPrefixes?: readonly string[];
  /** Called for every failed list or watch; the informer retries after `retryDelayMs`. */
  readonly onWatchFailure?: (error: KubeError) => void;
  /** Called after each change of the cached mappings. */
  readonly onChange?: (event: IamIdentityMappingEvent) => void;
  /** Called after the controller wrote `status.canonicalARN`. */
  readonly onSynced?: (mapping: IamIdentityMapping, canonicalArn: string) => void;
  /** Called when the controller could not sync a mapping. */
  readonly onSyncError?: (name: string, error: Error, requeued: boolean) => void;
  /** Default: 5000 ms, for both the informer and the controller. */
  readonly retryDelayMs?: number;
  /** Default: IAM_IDENTITY_MAPPING_RESYNC_MS. */
  readonly resyncMs?: number;
  /** Replaces the API calls of the controller. Default: client-node calls. */
  readonly writer?: IamIdentityMappingWriter;
  /** Time of recorded Events. Default: the system clock. */
  readonly clock?: () => Date;
}

/** A mapping source that follows the cluster's IAMIdentityMappings; `stop()` ends the informer and the controller. */
export interface IamIdentityMappingSource extends MappingSource {
  /** Resolves after the first list, or when the source stops. */
  readonly synced: Promise<void>;
  /** Resolves when the controller has no queued or running sync. */
  controllerIdle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Creates aws-iam-authenticator's CRD backend. An informer caches every IAMIdentityMapping and a
 * controller writes `status.canonicalARN = Canonicalize(lower(spec.arn))`. Lookups use only that
 * status: an identity matches the mappings whose `status.canonicalARN` equals the lower-cased
 * canonical ARN of the identity, users and roles alike. Accounts are never allowed, and no entry
 * validation is done. A mapping without status never matches.
 */
export function createIamIdentityMappingSource(options: IamIdentityMappingSourceOptions): IamIdentityMappingSource {
  const index = new CanonicalArnIndex();
  const retry = options.retryDelayMs === undefined ? {} : { retryDelayMs: options.retryDelayMs };

  // The informer feeds the controller and the controller reads the informer's cache, so the
  // controller is created first and reads through this late-bound getter.
  let getCached: (name: string) => IamIdentityMapping | undefined = () => undefined;
  const controller: IamIdentityMappingController = startIamIdentityMappingController({
    writer: options.writer ?? createIamIdentityMappingWriter(options.kubeConfig, options.clock),
    get: (name) => getCached(name),
    ...retry,
    ...(options.onSynced === undefined ? {} : { onSynced: options.onSynced }),
    ...(options.onSyncError === undefined ? {} : { onError: options.onSyncError }),
  });

  const informer = startIamIdentityMappingInformer({
    kubeConfig: options.kubeConfig,
    ...retry,
    ...(options.onWatchFailure === undefined ? {} : { onFailure: options.onWatchFailure }),
    onEvent: (event) => {
      if (event.type === 'DELETED') index.remove(event.mapping);
      else index.put(event.mapping, event.type === 'MODIFIED' ? event.previous : undefined);
      if (event.type !== 'DELETED') controller.enqueue(event.mapping.name);
      options.onChange?.(event);
    },
  });
  getCached = (name) => informer.get(name);

  const resync = setInterval(() => {
    for (const mapping of informer.list()) controller.enqueue(mapping.name);
  }, options.resyncMs ?? IAM_IDENTITY_MAPPING_RESYNC_MS);
  resync.unref();

  const name = options.name ?? 'CRD';
  return {
    name,
    reservedPrefixes: options.reservedPrefixes ?? [],
    hasAccountList: false,
    map: (identity) => index.find(identity),
    isAccountAllowed: () => false,
    synced: informer.synced,
    controllerIdle: () => controller.idle(),
    async stop() {
      clearInterval(resync);
      await informer.stop();
      await controller.stop();
    },
  };
}

/**
 * Mappings by `status.canonicalARN`, the index aws-iam-authenticator's CRD mapper looks up. When
 * several mappings share a canonical ARN, the one with the smallest name wins, so the result does
 * not depend on the order events arrived in.
 */
class CanonicalArnIndex {
  readonly #byArn = new Map<string, Map<string, IamIdentityMapping>>();

  put(mapping: IamIdentityMapping, previous: IamIdentityMapping | undefined): void {
    if (previous !== undefined) this.remove(previous);
    if (mapping.canonicalArn === '') return;
    let entries = this.#byArn.get(mapping.canonicalArn);
    if (entries === undefined) {
      entries = new Map();
      this.#byArn.set(mapping.canonicalArn, entries);
    }
    entries.set(mapping.name, mapping);
  }

  remove(mapping: IamIdentityMapping): void {
    const entries = this.#byArn.get(mapping.canonicalArn);
    if (entries === undefined) return;
    entries.delete(mapping.name);
    if (entries.size === 0) this.#byArn.delete(mapping.canonicalArn);
  }

  find(identity: Identity): MatchedMapping | undefined {
    const entries = this.#byArn.get(identity.canonicalArn.toLowerCase());
    if (entries === undefined) return undefined;
    let winner: IamIdentityMapping | undefined;
    for (const entry of entries.values()) {
      if (winner === undefined || entry.name < winner.name) winner = entry;
    }
    if (winner === undefined) return undefined;
    // The index does not tell users from roles; the kind only labels logs and explain output.
    const kind = /^arn:[^:]*:iam::[^:]*:user\//.test(winner.canonicalArn) ? 'user' : 'role';
    return { kind, username: winner.username, groups: [...winner.groups] };
  }
}
