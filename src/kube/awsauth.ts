import { AWS_AUTH_NAME, AWS_AUTH_NAMESPACE, createConfigMapClient, type ConfigMapClient, type ConfigMapWrite } from './client.js';
import { dataOfDocument, sameMap, toDocumentText, type LiveConfigMap, type StringMap } from './configmap.js';
import { loadKubeConfig, type KubeConfigOptions, type LoadedKubeConfig } from './kubeconfig.js';
import { updateConfigMap, type UpdateOptions, type UpdateResult } from './update.js';

/** Source name of the live ConfigMap in messages and mapping origins. */
export const AWS_AUTH_SOURCE_NAME = `${AWS_AUTH_NAMESPACE}/${AWS_AUTH_NAME}`;

/** The cluster's aws-auth ConfigMap as a document for the aws-auth parser. */
export interface ClusterAwsAuth {
  /** undefined when the ConfigMap does not exist. */
  readonly configMap: LiveConfigMap | undefined;
  /** The document (empty when the ConfigMap does not exist). */
  readonly text: string;
  readonly sourceName: string;
  readonly cluster: LoadedKubeConfig;
}

/** A connection to one cluster's aws-auth. */
export interface AwsAuthCluster {
  readonly cluster: LoadedKubeConfig;
  readonly client: ConfigMapClient;
}

export async function connectAwsAuth(options: KubeConfigOptions): Promise<AwsAuthCluster> {
  const cluster = await loadKubeConfig(options);
  return { cluster, client: createConfigMapClient(cluster.kubeConfig, AWS_AUTH_NAMESPACE) };
}

export function readAwsAuth(connection: AwsAuthCluster): Promise<LiveConfigMap | undefined> {
  return connection.client.read(AWS_AUTH_NAME);
}

export function createAwsAuth(connection: AwsAuthCluster, data: StringMap): Promise<LiveConfigMap> {
  return connection.client.create(AWS_AUTH_NAME, { data });
}

/**
 * Reads kube-system/aws-auth through a kubeconfig, for commands that only read (`list`, `explain`).
 * A missing ConfigMap is returned as an empty document with `configMap` undefined.
 */
export async function loadAwsAuthFromCluster(options: KubeConfigOptions): Promise<ClusterAwsAuth> {
  const connection = await connectAwsAuth(options);
  const configMap = await readAwsAuth(connection);
  return {
    configMap,
    text: configMap === undefined ? '' : toDocumentText(configMap),
    sourceName: AWS_AUTH_SOURCE_NAME,
    cluster: connection.cluster,
  };
}

/** The result of an edit of the aws-auth document. */
export interface DocumentEdit<T> {
  /** The whole new document, or undefined to write nothing. */
  readonly text: string | undefined;
  readonly value: T;
  /** Labels and annotations to merge over the live ones. Default: none. */
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
}

/**
 * Edits aws-auth as a document: the live data is rendered as a ConfigMap document (see
 * toDocumentText), `edit` returns the new document, and its data replaces the live data with the
 * resourceVersion that was read, retried on conflict (see updateConfigMap). Data keys the edit does
 * not touch, labels and annotations survive. A missing ConfigMap is passed as '' and created.
 */
export function updateAwsAuth<T>(
  connection: AwsAuthCluster,
  edit: (text: string, current: LiveConfigMap | undefined) => Promise<DocumentEdit<T>>,
  options: UpdateOptions = {},
): Promise<UpdateResult<T>> {
  return updateConfigMap(connection.client, AWS_AUTH_NAME, async (current) => {
    const result = await edit(current === undefined ? '' : toDocumentText(current), current);
    if (result.text === undefined) return { write: undefined, value: result.value };
    const data = dataOfDocument(result.text);
    const write: ConfigMapWrite = {
      data,
      ...(result.labels !== undefined ? { labels: result.labels } : {}),
      ...(result.annotations !== undefined ? { annotations: result.annotations } : {}),
    };
    return { write: current !== undefined && unchanged(current, write) ? undefined : write, value: result.value };
  }, options);
}

function unchanged(current: LiveConfigMap, write: ConfigMapWrite): boolean {
  const merged = (live: StringMap, extra: StringMap | undefined): StringMap => ({ ...live, ...extra });
  return sameMap(current.data, write.data)
    && sameMap(current.labels, merged(current.labels, write.labels))
    && sameMap(current.annotations, merged(current.annotations, write.annotations));
}
