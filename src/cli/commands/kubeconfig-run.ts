import { promises as fs } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { describeCluster } from '../../aws/eks.js';
import { mergeKubeconfig, type KubeconfigEntry } from '../../aws/kubeconfig.js';
import { createAwsTarget, profileOf } from '../../aws/target.js';
import type { Env } from '../../credentials/types.js';
import { CliError } from '../errors.js';
import { readIfExists, updateFile } from '../filestore.js';
import { EXIT, type CommandContext } from '../io.js';
import type { KubeconfigOptions } from './kubeconfig.js';

export async function runKubeconfig(options: KubeconfigOptions, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const path = kubeconfigPath(options.kubeconfig, io.env, io.cwd);
  const target = await createAwsTarget(io.env, options);
  const cluster = await describeCluster(target, options.cluster);
  const profile = profileOf(options, io.env);
  const entry: KubeconfigEntry = {
    clusterArn: cluster.arn,
    clusterName: cluster.name,
    region: target.region,
    server: cluster.endpoint,
    certificateAuthorityData: cluster.certificateAuthorityData,
    ...(options.alias ? { alias: options.alias } : {}),
    ...(options.roleArn ? { roleArn: options.roleArn } : {}),
    ...(profile ? { profile } : {}),
    ...(options.launcher ? { launcher: true } : {}),
  };
  if (options.launcher && profile) io.stderr(`${t('kubeconfig.launcherProfile')}\n`);

  if (options.dryRun) {
    io.stdout(mergeKubeconfig(await readIfExists(path), entry, path).text);
    return EXIT.ok;
  }

  await fs.mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const outcome = await updateFile(path, async (text) => {
    const merged = mergeKubeconfig(text, entry, path);
    return { text: merged.text, value: merged };
  }, { now: io.now, backup: false });
  // updateFile keeps the mode of an existing file; a kubeconfig is private to its owner.
  await fs.chmod(path, 0o600);

  const key = outcome.value.updated.includes('context') ? 'kubeconfig.updated' : 'kubeconfig.added';
  io.stdout(`${t(key, { context: outcome.value.contextName, path })}\n`);
  return EXIT.ok;
}

/** `--kubeconfig`, else the first path in KUBECONFIG, else ~/.kube/config, as the AWS CLI picks it. */
export function kubeconfigPath(flag: string | undefined, env: Env, cwd: string): string {
  if (flag) return resolve(cwd, flag);
  const first = (env.KUBECONFIG ?? '').split(delimiter).find((part) => part !== '');
  if (first !== undefined) return resolve(cwd, first);
  const home = env.HOME || env.USERPROFILE;
  if (!home) throw new CliError('kubeconfig.pathMissing');
  return join(home, '.kube', 'config');
}
