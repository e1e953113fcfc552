import type { KubeConfig } from '@kubernetes/client-node';
import { canonicalize } from '../arn/index.js';
import { loadClientNode } from './clientNode.js';
import { toKubeError, type KubeError } from './errors.js';
import {
  IAM_IDENTITY_MAPPING_API_VERSION,
  IAM_IDENTITY_MAPPING_GROUP,
  IAM_IDENTITY_MAPPING_KIND,
  IAM_IDENTITY_MAPPING_PLURAL,
  IAM_IDENTITY_MAPPING_VERSION,
  type IamIdentityMapping,
} from './iamidentitymapping.js';

/** Reason and message of the Event recorded after a status write, as aws-iam-authenticator's controller records them. */
export const SYNCED_REASON = 'Synced';
export const SYNCED_MESSAGE = 'Identity synced successfully';
/** Namespace of Events about cluster-scoped objects, as client-go's recorder chooses it. */
const EVENT_NAMESPACE = 'default';
const EVENT_COMPONENT = 'kubeiam';

/** A write the controller does: the API calls, so tests and the webhook can replace or observe them. */
export interface IamIdentityMappingWriter {
  /** PUTs the object with the new status to `.../iamidentitymappings/<name>/status`. */
  replaceStatus(mapping: IamIdentityMapping, canonicalArn: string): Promise<void>;
  /** POSTs a core/v1 Event about the mapping. */
  recordEvent(mapping: IamIdentityMapping, reason: string, message: string): Promise<void>;
}

export interface IamIdentityMappingControllerOptions {
  readonly writer: IamIdentityMappingWriter;
  /** Reads the current cached object; the controller always works on the latest version. */
  readonly get: (name: string) => IamIdentityMapping | undefined;
  /** Concurrent syncs. Default: 2, as in aws-iam-authenticator. */
  readonly workers?: number;
  /** Wait before retrying a sync whose write failed. Default: 5000 ms. */
  readonly retryDelayMs?: number;
  /** Called after a status write, with the canonical ARN written. */
  readonly onSynced?: (mapping: IamIdentityMapping, canonicalArn: string) => void;
  /** Called when a write fails or spec.arn does not canonicalize. `requeued` is true when the sync is retried. */
  readonly onError?: (name: string, error: Error, requeued: boolean) => void;
}

export interface IamIdentityMappingController {
  /** Queues a sync of the named mapping; a name already queued is synced once. */
  enqueue(name: string): void;
  /** Resolves when the queue is empty and no sync runs. */
  idle(): Promise<void>;
  /** Stops the workers after the syncs that run now; queued names are dropped. */
  stop(): Promise<void>;
}

/**
 * Computes `Canonicalize(lower(spec.arn))`, the value aws-iam-authenticator's controller writes to
 * `status.canonicalARN`. Throws ArnError for an ARN that is not an IAM or STS principal.
 */
export function canonicalArnOf(arn: string): string {
  return canonicalize(arn.toLowerCase());
}

/**
 * Starts the controller of aws-iam-authenticator's CRD backend: for each queued mapping it computes
 * the canonical ARN and, when `status.canonicalARN` is missing or differs, writes it through the
 * status subresource and records a `Synced` Event. A mapping without spec.arn, or whose ARN does
 * not canonicalize, is reported and left without status, so it never matches. A failed write is
 * retried after `retryDelayMs`.
 */
export function startIamIdentityMappingController(options: IamIdentityMappingControllerOptions): IamIdentityMappingController {
  const workers = options.workers ?? 2;
  const retryDelayMs = options.retryDelayMs ?? 5_000;
  const queue = new Set<string>();
  const running = new Set<string>();
  const timers = new Set<NodeJS.Timeout>();
  let active = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const settle = (): void => {
    if (active > 0 || queue.size > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const sync = async (name: string): Promise<void> => {
    const mapping = options.get(name);
    if (mapping === undefined) return;
    if (mapping.arn === '') {
      options.onError?.(name, new Error(`IAMIdentityMapping ${name} has no spec.arn; set spec.arn to an IAM user or role ARN`), false);
      return;
    }
    let canonicalArn: string;
    try {
      canonicalArn = canonicalArnOf(mapping.arn);
    } catch (error) {
      options.onError?.(name, new Error(`IAMIdentityMapping ${name} has spec.arn "${mapping.arn}" that is not an IAM or STS principal ARN: ${(error as Error).message}`), false);
      return;
    }
    if (mapping.canonicalArn === canonicalArn) return;
    try {
      await options.writer.replaceStatus(mapping, canonicalArn);
    } catch (error) {
      // A conflict means a newer version is on its way through the watch; retrying reads it from the cache.
      retry(name, error as Error);
      return;
    }
    options.onSynced?.(mapping, canonicalArn);
    try {
      await options.writer.recordEvent(mapping, SYNCED_REASON, SYNCED_MESSAGE);
    } catch (error) {
      options.onError?.(name, error as Error, false);
    }
  };

  const retry = (name: string, error: Error): void => {
    options.onError?.(name, error, !stopped);
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      controller.enqueue(name);
    }, retryDelayMs);
    timer.unref();
    timers.add(timer);
  };

  // Takes the next queued name that no other worker is syncing, so one object is never synced twice at once.
  const next = (): string | undefined => {
    for (const name of queue) {
      if (running.has(name)) continue;
      queue.delete(name);
      return name;
    }
    return undefined;
  };

  const pump = (): void => {
    while (!stopped && active < workers) {
      const name = next();
      if (name === undefined) break;
      active += 1;
      running.add(name);
      void sync(name).finally(() => {
        active -= 1;
        running.delete(name);
        pump();
        settle();
      });
    }
  };

  const controller: IamIdentityMappingController = {
    enqueue(name) {
      if (stopped) return;
      queue.add(name);
      pump();
    },
    idle() {
      if (active === 0 && queue.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      queue.clear();
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      if (active > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      settle();
    },
  };
  return controller;
}

/** Creates the writer that calls the API server through @kubernetes/client-node. */
export function createIamIdentityMappingWriter(kubeConfig: KubeConfig, clock: () => Date = () => new Date()): IamIdentityMappingWriter {
  const apis = loadClientNode().then((module) => ({
    custom: kubeConfig.makeApiClient(module.CustomObjectsApi),
    core: kubeConfig.makeApiClient(module.CoreV1Api),
  }));

  return {
    async replaceStatus(mapping, canonicalArn) {
      const { custom } = await apis;
      const current = mapping.object;
      const status = isRecord(current['status']) ? current['status'] : {};
      // The object's resourceVersion goes with it, so a newer version makes the write a conflict.
      const body = { ...current, status: { ...status, canonicalARN: canonicalArn } };
      try {
        await custom.replaceClusterCustomObjectStatus({
          group: IAM_IDENTITY_MAPPING_GROUP,
          version: IAM_IDENTITY_MAPPING_VERSION,
          plural: IAM_IDENTITY_MAPPING_PLURAL,
          name: mapping.name,
          body,
        });
      } catch (error) {
        throw toKubeError(error, 'updating the status of', `iamidentitymapping ${mapping.name}`);
      }
    },

    async recordEvent(mapping, reason, message) {
      const { core } = await apis;
      const now = clock();
      const body = {
        apiVersion: 'v1',
        kind: 'Event',
        // client-go names an Event `<object>.<unix nanoseconds in hex>`.
        metadata: { name: `${mapping.name}.${(BigInt(now.getTime()) * 1_000_000n).toString(16)}`, namespace: EVENT_NAMESPACE },
        involvedObject: {
          apiVersion: IAM_IDENTITY_MAPPING_API_VERSION,
          kind: IAM_IDENTITY_MAPPING_KIND,
          name: mapping.name,
          uid: mapping.uid,
          resourceVersion: mapping.resourceVersion,
        },
        reason,
        message,
        type: 'Normal',
        source: { component: EVENT_COMPONENT },
        firstTimestamp: now,
        lastTimestamp: now,
        count: 1,
      };
      try {
        await core.createNamespacedEvent({ namespace: EVENT_NAMESPACE, body });
      } catch (error) {
        throw toKubeError(error, 'recording an Event for', `iamidentitymapping ${mapping.name}`) as KubeError;
      }
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
