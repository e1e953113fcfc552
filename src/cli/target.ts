import type { TargetOptions, WriteOptions } from './commands/awsauth.js';
import { usageError } from './errors.js';

/**
 * Chooses file mode or cluster mode: `--file` alone, or the kubeconfig rules without it. It lives
 * apart from cluster.ts so that file-mode commands do not load the Kubernetes client.
 */
export function isClusterMode(options: TargetOptions & Pick<WriteOptions, 'backupDir' | 'backupConfigmap'>): boolean {
  const cluster = options.kubeconfig !== undefined || options.context !== undefined;
  if (options.file !== undefined && cluster) throw usageError('write.targetConflict');
  if (options.file !== undefined && options.backupDir !== undefined) throw usageError('write.clusterOnly', { option: '--backup-dir' });
  if (options.file !== undefined && options.backupConfigmap) throw usageError('write.clusterOnly', { option: '--backup-configmap' });
  return options.file === undefined;
}
