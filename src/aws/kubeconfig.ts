import { isMap, isScalar, isSeq, parseDocument, YAMLMap, YAMLSeq, type Document } from 'yaml';
import { launcherExec } from '../credentials/launcherScript.js';
import { awsError } from './errors.js';

export const EXEC_API_VERSION = 'client.authentication.k8s.io/v1beta1';

/** The entry `kubeiam kubeconfig` writes for one EKS cluster. */
export interface KubeconfigEntry {
  /** Name of the cluster and user entries: the cluster ARN, as `aws eks update-kubeconfig` names them. */
  readonly clusterArn: string;
  readonly clusterName: string;
  readonly region: string;
  readonly server: string;
  readonly certificateAuthorityData: string;
  /** Context name. Default: the cluster ARN. */
  readonly alias?: string;
  /** Role the token command assumes (`--role-arn`). */
  readonly roleArn?: string;
  /** Set as AWS_PROFILE for the token command. */
  readonly profile?: string;
  /** The exec plugin command. Default: `kubeiam`. */
  readonly command?: string;
  /**
   * Run the command through the /bin/sh launcher, which prints a still-valid cached token without
   * starting Node.js (launcherScript.ts). Default: false.
   */
  readonly launcher?: boolean;
}

export interface MergeResult {
  readonly text: string;
  readonly contextName: string;
  /** Entries that existed with the same name and were updated. */
  readonly updated: readonly ('cluster' | 'user' | 'context')[];
}

/**
 * Adds or updates the cluster, user and context of an EKS cluster in a kubeconfig and makes the
 * context current. Every other entry, comment and unknown field is kept. An existing cluster entry
 * keeps its other fields (proxy-url, extensions). An existing user entry is replaced, because two
 * authentication methods in one user make kubectl fail. Throws KUBECONFIG_INVALID for a file that is
 * not a kubeconfig, naming `source`.
 */
export function mergeKubeconfig(existing: string | undefined, entry: KubeconfigEntry, source: string): MergeResult {
  const document = loadDocument(existing, source);
  const contextName = entry.alias || entry.clusterArn;
  const updated: MergeResult['updated'][number][] = [];

  const cluster = upsertNamed(document, 'clusters', entry.clusterArn, 'cluster', source);
  if (cluster.existed) updated.push('cluster');
  cluster.body.set('server', entry.server);
  cluster.body.set('certificate-authority-data', entry.certificateAuthorityData);
  // A CA file or skip-verify next to the CA data makes kubectl reject or ignore the CA.
  cluster.body.delete('certificate-authority');
  cluster.body.delete('insecure-skip-tls-verify');

  const user = upsertNamed(document, 'users', entry.clusterArn, 'user', source);
  if (user.existed) updated.push('user');
  user.entry.set('user', document.createNode({ exec: execConfig(entry) }));

  const context = upsertNamed(document, 'contexts', contextName, 'context', source);
  if (context.existed) updated.push('context');
  context.body.set('cluster', entry.clusterArn);
  context.body.set('user', entry.clusterArn);

  document.set('current-context', contextName);
  // kubectl and the AWS CLI write list items flush with their key; so does kubeiam.
  return { text: document.toString({ indentSeq: false }), contextName, updated };
}

/**
 * Builds the exec plugin block: `kubeiam token` with the flags of `aws eks get-token`, directly or
 * through the sh launcher.
 */
export function execConfig(entry: KubeconfigEntry): Record<string, unknown> {
  const tokenArgs = ['--cluster-name', entry.clusterName, '--region', entry.region];
  if (entry.roleArn) tokenArgs.push('--role-arn', entry.roleArn);
  const kubeiam = entry.command ?? 'kubeiam';
  const { command, args } = entry.launcher ? launcherExec(kubeiam, tokenArgs) : { command: kubeiam, args: ['token', ...tokenArgs] };
  return {
    apiVersion: EXEC_API_VERSION,
    command,
    args,
    ...(entry.profile ? { env: [{ name: 'AWS_PROFILE', value: entry.profile }] } : {}),
    interactiveMode: 'Never',
    provideClusterInfo: false,
  };
}

function loadDocument(existing: string | undefined, source: string): Document {
  if (existing === undefined || existing.trim() === '') {
    return parseDocument('apiVersion: v1\nkind: Config\npreferences: {}\nclusters: []\nusers: []\ncontexts: []\ncurrent-context: ""\n');
  }
  const document = parseDocument(existing);
  const firstError = document.errors[0];
  if (firstError !== undefined) {
    throw awsError('KUBECONFIG_INVALID', `${source} is not valid YAML: ${firstError.message}; fix it or pass another --kubeconfig`, { source });
  }
  if (document.contents === null) return loadDocument(undefined, source);
  if (!isMap(document.contents)) {
    throw awsError('KUBECONFIG_INVALID', `${source} is not a kubeconfig: the top level is not a mapping; fix it or pass another --kubeconfig`, { source });
  }
  return document;
}

interface Upserted {
  /** The list item `{name, <kind>}`. */
  readonly entry: YAMLMap;
  /** The item's `<kind>` mapping (`cluster:` or `context:`). */
  readonly body: YAMLMap;
  readonly existed: boolean;
}

function upsertNamed(document: Document, listKey: string, name: string, kind: string, source: string): Upserted {
  const list = ensureList(document, listKey, source);
  const found = list.items.find((item) => isMap(item) && item.get('name') === name);
  if (found !== undefined && isMap(found)) return { entry: found, body: ensureMap(found, kind, `${listKey}[${name}]`, source), existed: true };

  const entry = new YAMLMap();
  entry.set('name', name);
  const body = new YAMLMap();
  entry.set(kind, body);
  list.items.push(entry);
  return { entry, body, existed: false };
}

function ensureList(document: Document, key: string, source: string): YAMLSeq {
  const value = document.get(key, true);
  if (value === undefined || (isScalar(value) && value.value === null)) {
    const list = new YAMLSeq();
    document.set(key, list);
    return list;
  }
  if (!isSeq(value)) throw awsError('KUBECONFIG_INVALID', `${source}: '${key}' is not a list; fix it or pass another --kubeconfig`, { source, key });
  if (value.flow === true && value.items.length === 0) value.flow = false;
  return value;
}

function ensureMap(parent: YAMLMap, key: string, path: string, source: string): YAMLMap {
  const value = parent.get(key, true);
  if (value === undefined || (isScalar(value) && value.value === null)) {
    const map = new YAMLMap();
    parent.set(key, map);
    return map;
  }
  if (!isMap(value)) throw awsError('KUBECONFIG_INVALID', `${source}: ${path}.${key} is not a mapping; fix it or pass another --kubeconfig`, { source, key });
  return value;
}
