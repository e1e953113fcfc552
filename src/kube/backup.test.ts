import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupConfigMapName, renderBackup, writeBackupFile } from './backup.js';
import { readConfigMapText, toLiveConfigMap } from './configmap.js';

const NOW = new Date('2026-12-04T20:01:02.345Z');
const LIVE = toLiveConfigMap({
  metadata: {
    name: 'aws-auth', namespace: 'kube-system', resourceVersion: '42', uid: 'u-1',
    labels: { team: 'platform' },
    annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', note: 'kept' },
  },
  data: { mapUsers: '- userarn: arn:aws:iam::111122223333:user/a\n  username: a\n' },
});

describe('backups', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeiam-backup-'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('backupConfigMapName is a valid object name', () => {
    expect(backupConfigMapName(NOW)).toBe('aws-auth-backup-20261204t200102z');
  });

  it('renderBackup reads back as the same ConfigMap', () => {
    const content = readConfigMapText(renderBackup(LIVE, { server: 'https://127.0.0.1:1', context: 'test', takenAt: NOW }));
    expect(content?.data).toEqual(LIVE.data);
    expect(content?.labels).toEqual({ team: 'platform' });
  });

  it('renderBackup drops the last-applied annotation', () => {
    const content = readConfigMapText(renderBackup(LIVE, { server: 'https://127.0.0.1:1', context: 'test', takenAt: NOW }));
    expect(content?.annotations).toEqual({ note: 'kept' });
  });

  it('writeBackupFile creates private files', async () => {
    const target = join(dir, 'private');
    const first = await writeBackupFile(target, 'aws-auth-test', 'a', NOW);
    const second = await writeBackupFile(target, 'aws-auth-test', 'b', NOW);
    expect(first).toBe(join(target, 'aws-auth-test-20261204T200102Z.yaml'));
    expect(second).toBe(join(target, 'aws-auth-test-20261204T200102Z-1.yaml'));
    expect(statSync(target).mode & 0o777).toBe(0o700);
    expect(statSync(first).mode & 0o777).toBe(0o600);
    expect(readFileSync(second, 'utf8')).toBe('b');
  });

  it('writeBackupFile rejects a shared directory', async () => {
    const shared = join(dir, 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o755);
    await expect(writeBackupFile(shared, 'aws-auth', 'a', NOW)).rejects.toMatchObject({ code: 'BACKUP_DIR_NOT_PRIVATE' });
  });
});
