import { existsSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadClientNode } from './clientNode.js';
import { KubeError } from './errors.js';

export interface KubeConfigOptions {
  /** Path of a kubeconfig file; wins over `KUBECONFIG` and the default file. */
  readonly kubeconfig?: string;
  /** Context to use instead of the file's `current-context`. */
  readonly context?: string;
  /** Environment for `KUBECONFIG`, `HOME` and the in-cluster variables. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Directory that relative paths are resolved from. */
  readonly cwd: string;
}

/** A loaded kubeconfig with its origin, for messages. */
export interface LoadedKubeConfig {
  readonly kubeConfig: KubeConfig;
  /** A file path, a `KUBECONFIG` list, or `in-cluster`. */
  readonly origin: string;
  readonly context: string;
  readonly server: string;
  /**
   * Role ARNs that the current user's exec credential plugin assumes (`--role-arn` of `aws eks
   * get-token` and `kubeiam token`, `-r`/`--role` of aws-iam-authenticator): the identity kubectl
   * presents, which a write must not lock out.
   */
  readonly execRoleArns: readonly string[];
}

const ROLE_FLAGS = new Set(['--role-arn', '-r', '--role']);

/**
 * Loads a kubeconfig the way kubectl does: `--kubeconfig`, else every file in `KUBECONFIG` (merged,
 * first file wins), else `~/.kube/config`, else the in-cluster service account when
 * `KUBERNETES_SERVICE_HOST` is set. Imports the Kubernetes client on first use.
 */
export async function loadKubeConfig(options: KubeConfigOptions): Promise<LoadedKubeConfig> {
  const { KubeConfig } = await loadClientNode();
  const kubeConfig = new KubeConfig();
  const origin = loadInto(kubeConfig, options, () => new KubeConfig());
  if (options.context !== undefined) {
    if (kubeConfig.getContextObject(options.context) === null) {
      const known = kubeConfig.getContexts().map((context) => context.name).join(', ') || 'none';
      throw new KubeError('KUBE_CONTEXT_NOT_FOUND', `context '${options.context}' is not in ${origin} (contexts: ${known}); pass one of them with --context`, { context: options.context });
    }
    kubeConfig.setCurrentContext(options.context);
  }
  const cluster = kubeConfig.getCurrentCluster();
  if (cluster === null) {
    throw new KubeError('KUBECONFIG_INVALID', `${origin} has no cluster for context '${kubeConfig.getCurrentContext()}'; set current-context or pass --context`, { origin });
  }
  return { kubeConfig, origin, context: kubeConfig.getCurrentContext(), server: cluster.server, execRoleArns: execRoleArns(kubeConfig) };
}

function execRoleArns(kubeConfig: KubeConfig): string[] {
  const exec: unknown = kubeConfig.getCurrentUser()?.exec;
  const args = typeof exec === 'object' && exec !== null ? (exec as { args?: unknown }).args : undefined;
  if (!Array.isArray(args)) return [];
  const arns: string[] = [];
  args.forEach((arg: unknown, index) => {
    if (typeof arg !== 'string') return;
    const [flag, inline] = arg.split('=', 2);
    const value: unknown = inline ?? args[index + 1];
    if (ROLE_FLAGS.has(flag ?? '') && typeof value === 'string' && value.startsWith('arn:')) arns.push(value);
  });
  return arns;
}

function loadInto(kubeConfig: KubeConfig, options: KubeConfigOptions, createEmpty: () => KubeConfig): string {
  if (options.kubeconfig !== undefined) {
    const path = resolve(options.cwd, options.kubeconfig);
    loadFile(kubeConfig, path);
    return path;
  }
  const list = (options.env['KUBECONFIG'] ?? '').split(delimiter).filter((path) => path !== '');
  if (list.length > 0) {
    const paths = list.map((path) => resolve(options.cwd, path)).filter((path) => existsSync(path));
    const [first, ...rest] = paths;
    if (first === undefined) throw notFound(`the files in KUBECONFIG (${list.join(delimiter)})`);
    loadFile(kubeConfig, first);
    for (const path of rest) {
      const other = createEmpty();
      loadFile(other, path);
      kubeConfig.mergeConfig(other, true);
    }
    return paths.join(delimiter);
  }
  const home = options.env['HOME'] ?? options.env['USERPROFILE'];
  const defaultPath = home === undefined ? undefined : join(home, '.kube', 'config');
  if (defaultPath !== undefined && existsSync(defaultPath)) {
    loadFile(kubeConfig, defaultPath);
    return defaultPath;
  }
  if (options.env['KUBERNETES_SERVICE_HOST'] !== undefined && options.env['KUBERNETES_SERVICE_PORT'] !== undefined) {
    // NOTE: client-node reads the service host and port from process.env, not from options.env.
    kubeConfig.loadFromCluster();
    return 'in-cluster';
  }
  throw notFound(defaultPath ?? '~/.kube/config');
}

function loadFile(kubeConfig: KubeConfig, path: string): void {
  if (!existsSync(path)) throw notFound(path);
  try {
    kubeConfig.loadFromFile(path);
  } catch (error) {
    throw new KubeError('KUBECONFIG_INVALID', `${path} is not a valid kubeconfig: ${(error as Error).message}`, { path });
  }
}

function notFound(what: string): KubeError {
  return new KubeError(
    'KUBECONFIG_NOT_FOUND',
    `no kubeconfig found at ${what}; pass --kubeconfig PATH, set KUBECONFIG, or run \`aws eks update-kubeconfig --name CLUSTER\``,
    { path: what },
  );
}
