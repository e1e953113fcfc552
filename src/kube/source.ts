import type { KubeConfig } from '@kubernetes/client-node';
import { parseAwsAuth } from '../awsauth/parse.js';
import { createAwsAuthSource, type AwsAuthSourceOptions } from '../mapping/sources/awsauth.js';
import type { MappingSource } from '../mapping/types.js';
import { AWS_AUTH_NAME, AWS_AUTH_NAMESPACE } from './client.js';
import type { KubeError } from './errors.js';
import { watchAwsAuth, type AwsAuthEvent, type AwsAuthWatch } from './watch.js';

export interface EksConfigMapSourceOptions extends AwsAuthSourceOptions {
  readonly kubeConfig: KubeConfig;
  /** Called for every failed watch attempt; the webhook counts them in `configmap_watch_failures_total`. */
  readonly onWatchFailure?: (error: KubeError) => void;
  /** Called after each event was installed, e.g. to log the new resourceVersion. */
  readonly onChange?: (event: AwsAuthEvent) => void;
  /** Default: 5000 ms. */
  readonly retryDelayMs?: number;
}

/** A mapping source that follows the live ConfigMap; `stop()` ends the watch. */
export interface EksConfigMapSource extends MappingSource {
  stop(): Promise<void>;
}

/**
 * Creates aws-iam-authenticator's EKSConfigMap backend: the mappings of `kube-system/aws-auth`,
 * replaced as a whole on every ADDED or MODIFIED event and emptied on DELETED. Until the first event
 * arrives nothing is mapped, as in the reference. A key that fails to parse loads empty while the
 * others load (parseAwsAuth's per-key behaviour).
 */
export function createEksConfigMapSource(options: EksConfigMapSourceOptions): EksConfigMapSource {
  const sourceName = `${AWS_AUTH_NAMESPACE}/${AWS_AUTH_NAME}`;
  const build = (text: string): MappingSource => createAwsAuthSource(parseAwsAuth(text, { sourceName }), sourceOptions(options));
  let active = build('');

  const watch: AwsAuthWatch = watchAwsAuth({
    kubeConfig: options.kubeConfig,
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    ...(options.onWatchFailure !== undefined ? { onFailure: options.onWatchFailure } : {}),
    onEvent: (event) => {
      active = build(event.type === 'DELETED' ? '' : event.text);
      options.onChange?.(event);
    },
  });

  return {
    name: options.name ?? 'EKSConfigMap',
    get reservedPrefixes() {
      return active.reservedPrefixes;
    },
    map: (identity) => active.map(identity),
    isAccountAllowed: (accountId) => active.isAccountAllowed(accountId),
    explain: (identity) => active.explain?.(identity) ?? [],
    stop: () => watch.stop(),
  };
}

function sourceOptions(options: EksConfigMapSourceOptions): AwsAuthSourceOptions {
  return {
    ...(options.name !== undefined ? { name: options.name } : {}),
    ...(options.ssoRoleMatch !== undefined ? { ssoRoleMatch: options.ssoRoleMatch } : {}),
    ...(options.reservedPrefixes !== undefined ? { reservedPrefixes: options.reservedPrefixes } : {}),
  };
}

/** The receiver of followAwsAuth's updates; the webhook's ReloadingSource has this shape. */
export interface AwsAuthFollower {
  /** Parses and installs a new version of the document. */
  load(text: string): void;
  /** Removes every mapping. */
  clear(): void;
  /** Records a watch failure; the current mappings stay. */
  recordError(error: Error): void;
}

export interface FollowAwsAuthOptions {
  readonly kubeConfig: KubeConfig;
  readonly target: AwsAuthFollower;
  /** Called for every failed watch attempt, e.g. to increment `configmap_watch_failures_total`. */
  readonly onWatchFailure?: (error: KubeError) => void;
  /** Default: 5000 ms. */
  readonly retryDelayMs?: number;
}

/**
 * Feeds the live kube-system/aws-auth into a reloading source (EKSConfigMap semantics): ADDED and
 * MODIFIED load the new document, DELETED clears it, and a failed watch is recorded on the target
 * and reported to `onWatchFailure`. Returns the watch, so the caller can stop it.
 */
export function followAwsAuth(options: FollowAwsAuthOptions): AwsAuthWatch {
  return watchAwsAuth({
    kubeConfig: options.kubeConfig,
    ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    onEvent: (event) => {
      if (event.type === 'DELETED') options.target.clear();
      else options.target.load(event.text);
    },
    onFailure: (error) => {
      options.target.recordError(error);
      options.onWatchFailure?.(error);
    },
  });
}
