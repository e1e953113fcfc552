import type { KubeConfig } from '@kubernetes/client-node';
import { loadClientNode } from './clientNode.js';
import { AWS_AUTH_NAME, AWS_AUTH_NAMESPACE, createConfigMapClient } from './client.js';
import { toDocumentText, toLiveConfigMap, type LiveConfigMap } from './configmap.js';
import { toKubeError, type KubeError } from './errors.js';

/** A change of the watched ConfigMap. `text` is the document the aws-auth parser reads. */
export type AwsAuthEvent =
  | { readonly type: 'ADDED' | 'MODIFIED'; readonly configMap: LiveConfigMap; readonly text: string }
  | { readonly type: 'DELETED'; readonly configMap: LiveConfigMap };

export interface WatchAwsAuthOptions {
  readonly kubeConfig: KubeConfig;
  readonly onEvent: (event: AwsAuthEvent) => void;
  /**
   * Called when the watch cannot be established or fails (e.g. to increment
   * `configmap_watch_failures_total` and log); the watch retries after `retryDelayMs`.
   */
  readonly onFailure?: (error: KubeError) => void;
  /** Called with an ERROR event's Status message or an object that is not a ConfigMap. Default: onFailure. */
  readonly onError?: (error: KubeError) => void;
  /** Default: `kube-system`. */
  readonly namespace?: string;
  /** Default: `aws-auth`. */
  readonly name?: string;
  /** Wait before re-establishing a failed watch, as aws-iam-authenticator does. Default: 5000 ms. */
  readonly retryDelayMs?: number;
  /** Default: a timer. */
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface AwsAuthWatch {
  /** Ends the watch; no event or failure is reported after it resolves. */
  stop(): Promise<void>;
}

const DEFAULT_RETRY_DELAY_MS = 5_000;

/**
 * Watches one ConfigMap the way aws-iam-authenticator's EKSConfigMap backend does: no initial list
 * (a watch without resourceVersion starts with the current object as ADDED), ADDED and MODIFIED
 * carry the new content, DELETED means every mapping is gone. A stream the server closes is
 * re-opened at once from the last resourceVersion seen, so no change in between is missed; a failed
 * watch is reported to `onFailure` and retried after `retryDelayMs`.
 */
export function watchAwsAuth(options: WatchAwsAuthOptions): AwsAuthWatch {
  const namespace = options.namespace ?? AWS_AUTH_NAMESPACE;
  const name = options.name ?? AWS_AUTH_NAME;
  const retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const reportError = options.onError ?? options.onFailure ?? (() => undefined);
  const watcher = loadClientNode().then((module) => new module.Watch(options.kubeConfig));
  const path = `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps`;
  const object = `configmap ${namespace}/${name}`;

  let stopped = false;
  let resourceVersion: string | undefined;
  // The last version delivered, for the DELETED event a resync may have to produce.
  let last: LiveConfigMap | undefined;
  let expired = false;
  let controller: AbortController | undefined;
  let finished: Promise<void> = Promise.resolve();
  let wake: () => void = () => undefined;
  const stopping = new Promise<void>((resolve) => {
    wake = resolve;
  });

  const handleEvent = (type: string, value: unknown): void => {
    if (stopped) return;
    if (type === 'ERROR') {
      const status = value as { code?: unknown; message?: unknown } | undefined;
      if (status?.code === 410) {
        expire();
        return;
      }
      reportError(toKubeError({ code: typeof status?.code === 'number' ? status.code : 500, body: value }, 'watching', object));
      return;
    }
    if (type !== 'ADDED' && type !== 'MODIFIED' && type !== 'DELETED') return;
    let configMap: LiveConfigMap;
    try {
      configMap = toLiveConfigMap(value);
    } catch (error) {
      reportError(toKubeError(error, 'watching', object));
      return;
    }
    if (configMap.name !== name) return;
    resourceVersion = configMap.resourceVersion;
    last = type === 'DELETED' ? undefined : configMap;
    if (type === 'DELETED') options.onEvent({ type, configMap });
    else options.onEvent({ type, configMap, text: toDocumentText(configMap) });
  };

  const runOnce = (): Promise<unknown> =>
    new Promise((resolve) => {
      const query = {
        fieldSelector: `metadata.name=${name}`,
        allowWatchBookmarks: false,
        ...(resourceVersion !== undefined ? { resourceVersion } : {}),
      };
      watcher
        .then((watch) => watch.watch(path, query, handleEvent, (error: unknown) => resolve(error ?? null)))
        .then((started) => {
          controller = started;
          if (stopped) started.abort();
        })
        .catch(resolve);
    });

  // 410 Expired: the changes since resourceVersion are gone, so the watch restarts from the
  // current state. That state has no DELETED event for a ConfigMap removed in the gap, so a GET
  // checks for it first.
  const expire = (): void => {
    resourceVersion = undefined;
    expired = true;
  };

  const resync = async (): Promise<void> => {
    expired = false;
    const current = await createConfigMapClient(options.kubeConfig, namespace).read(name);
    if (current === undefined && last !== undefined && !stopped) {
      options.onEvent({ type: 'DELETED', configMap: last });
      last = undefined;
    }
  };

  const loop = async (): Promise<void> => {
    while (!stopped) {
      let error: unknown = null;
      try {
        if (expired) await resync();
        error = await runOnce();
      } catch (failure) {
        expired = true;
        error = failure;
      }
      if (stopped) return;
      if (error === null) continue;
      const failure = toKubeError(error, 'watching', object);
      if (failure.status === 410) expire();
      options.onFailure?.(failure);
      await Promise.race([sleep(retryDelayMs), stopping]);
    }
  };
  finished = loop();

  return {
    async stop() {
      stopped = true;
      wake();
      controller?.abort();
      await finished;
    },
  };
}
