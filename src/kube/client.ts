import type { CoreV1Api, KubeConfig, V1ConfigMap } from '@kubernetes/client-node';
import { loadClientNode } from './clientNode.js';
import { toLiveConfigMap, type LiveConfigMap, type StringMap } from './configmap.js';
import { isKubeError, toKubeError } from './errors.js';

export const AWS_AUTH_NAMESPACE = 'kube-system';
export const AWS_AUTH_NAME = 'aws-auth';

/** The fields of a ConfigMap that kubeiam writes. */
export interface ConfigMapWrite {
  readonly data: StringMap;
  /** Merged over the existing labels. Default: none added. */
  readonly labels?: StringMap;
  /** Merged over the existing annotations. Default: none added. */
  readonly annotations?: StringMap;
}

/** ConfigMap calls in one namespace, with errors as KubeError. */
export interface ConfigMapClient {
  readonly namespace: string;
  /** Returns the ConfigMap, or undefined when it does not exist. */
  read(name: string): Promise<LiveConfigMap | undefined>;
  /** Creates a ConfigMap; KUBE_ALREADY_EXISTS when the name is taken. */
  create(name: string, write: ConfigMapWrite): Promise<LiveConfigMap>;
  /**
   * Replaces `current` with new data, sending its resourceVersion, so the API server returns a
   * conflict (KUBE_CONFLICT) when someone changed the object since it was read.
   */
  replace(current: LiveConfigMap, write: ConfigMapWrite): Promise<LiveConfigMap>;
  /** Deletes a ConfigMap; one that does not exist is not an error. */
  delete(name: string): Promise<void>;
}

export function createConfigMapClient(kubeConfig: KubeConfig, namespace = AWS_AUTH_NAMESPACE): ConfigMapClient {
  let apiClient: Promise<CoreV1Api> | undefined;
  const coreApi = (): Promise<CoreV1Api> => {
    apiClient ??= loadClientNode().then((module) => kubeConfig.makeApiClient(module.CoreV1Api));
    return apiClient;
  };
  const describe = (name: string): string => `configmap ${namespace}/${name}`;

  return {
    namespace,
    async read(name) {
      try {
        return toLiveConfigMap(await (await coreApi()).readNamespacedConfigMap({ name, namespace }));
      } catch (error) {
        const converted = toKubeError(error, 'reading', describe(name));
        if (isKubeError(converted, 'KUBE_NOT_FOUND')) return undefined;
        throw converted;
      }
    },

    async create(name, write) {
      const body: V1ConfigMap = {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name,
          namespace,
          ...(write.labels && Object.keys(write.labels).length > 0 ? { labels: { ...write.labels } } : {}),
          ...(write.annotations && Object.keys(write.annotations).length > 0 ? { annotations: { ...write.annotations } } : {}),
        },
        data: { ...write.data },
      };
      try {
        return toLiveConfigMap(await (await coreApi()).createNamespacedConfigMap({ namespace, body }));
      } catch (error) {
        throw toKubeError(error, 'creating', describe(name));
      }
    },

    async replace(current, write) {
      const original = current.object as V1ConfigMap;
      const body: V1ConfigMap = {
        ...original,
        metadata: {
          ...original.metadata,
          resourceVersion: current.resourceVersion,
          labels: { ...current.labels, ...write.labels },
          annotations: { ...current.annotations, ...write.annotations },
        },
        data: { ...write.data },
      };
      try {
        return toLiveConfigMap(await (await coreApi()).replaceNamespacedConfigMap({ name: current.name, namespace, body }));
      } catch (error) {
        throw toKubeError(error, 'updating', describe(current.name));
      }
    },

    async delete(name) {
      try {
        await (await coreApi()).deleteNamespacedConfigMap({ name, namespace });
      } catch (error) {
        const converted = toKubeError(error, 'deleting', describe(name));
        if (!isKubeError(converted, 'KUBE_NOT_FOUND')) throw converted;
      }
    },
  };
}
