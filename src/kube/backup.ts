import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { KubeiamError } from '../errors.js';
import type { LiveConfigMap } from './configmap.js';

/** Annotation kubectl's client-side apply keeps; a backup drops it so it can be re-applied cleanly. */
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** UTC time as `20260102T030405Z`, for file and object names. */
export function backupStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Name of an in-cluster backup copy: `aws-auth-backup-<UTC time>` in lower case, a valid object name. */
export function backupConfigMapName(now: Date, name = 'aws-auth'): string {
  return `${name}-backup-${backupStamp(now).toLowerCase()}`;
}

/**
 * Renders a ConfigMap as a manifest that `kubeiam restore` and `kubectl apply` accept: name,
 * namespace, labels, annotations and data, without server fields (resourceVersion, uid), so applying
 * it later does not conflict. A comment header records where and when it was taken.
 */
export function renderBackup(configMap: LiveConfigMap, source: { server: string; context: string; takenAt: Date }): string {
  const annotations = Object.fromEntries(Object.entries(configMap.annotations).filter(([key]) => key !== LAST_APPLIED));
  const manifest = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: {
      name: configMap.name,
      namespace: configMap.namespace,
      ...(Object.keys(configMap.labels).length > 0 ? { labels: configMap.labels } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    data: configMap.data,
  };
  const header = [
    `# kubeiam backup of configmap ${configMap.namespace}/${configMap.name}`,
    `# server: ${source.server} (context ${source.context})`,
    `# resourceVersion: ${configMap.resourceVersion}, uid: ${configMap.uid}`,
    `# taken at: ${source.takenAt.toISOString()}`,
    `# restore with: kubeiam restore <this file>`,
  ].join('\n');
  return `${header}\n${stringify(manifest, { version: '1.1', lineWidth: 0, blockQuote: 'literal' })}`;
}

/**
 * Writes a backup as `<dir>/<name>-<UTC time>.yaml`, created 0600 in a directory created 0700. A
 * directory that others can read or write is rejected, because aws-auth lists every admin of the cluster.
 */
export async function writeBackupFile(dir: string, baseName: string, content: string, now: Date): Promise<string> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const mode = (await fs.stat(dir)).mode & 0o777;
  if ((mode & 0o077) !== 0) {
    throw new KubeiamError('BACKUP_DIR_NOT_PRIVATE', `backup directory ${dir} is accessible to other users (mode ${mode.toString(8)}); run \`chmod 700 ${dir}\` or pass another --backup-dir`, { dir });
  }
  const stamp = backupStamp(now);
  for (let attempt = 0; attempt < 100; attempt++) {
    const path = join(dir, `${baseName}-${stamp}${attempt === 0 ? '' : `-${attempt}`}.yaml`);
    try {
      await fs.writeFile(path, content, { mode: 0o600, flag: 'wx' });
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw new KubeiamError('BACKUP_FAILED', `could not write backup ${path}: ${(error as Error).message}`, { path });
      }
    }
  }
  throw new KubeiamError('BACKUP_FAILED', `could not find a free backup file name in ${dir} for ${stamp}; remove old backups`, { dir });
}
