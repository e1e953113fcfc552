import { readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCliBundle } from './bundle.js';
import { runProcess, type ProcessResult } from './process.js';
import { ACCOUNT_ID, NODE_ROLE_MAP_ROLES, seedAwsAuth, startCluster, type ClusterFixture } from './support.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WRITERS = 20;
const userArn = (index: number): string => `arn:aws:iam::${ACCOUNT_ID}:user/writer-${index}`;

describe('concurrent grant processes on the cluster', () => {
  let cluster: ClusterFixture;
  let script: string;
  let results: ProcessResult[];

  beforeAll(async () => {
    script = await buildCliBundle(ROOT);
    cluster = await startCluster();
    seedAwsAuth(cluster.server, { mapRoles: NODE_ROLE_MAP_ROLES });
    // The server responds to the first five reads together, so at least four writers must hit a conflict.
    cluster.server.holdReads(5);
    results = await Promise.all(Array.from({ length: WRITERS }, (_, index) =>
      runProcess(process.execPath, [
        script, 'grant', 'user', userArn(index), '--username', `writer-${index}`, '--group', 'viewers',
        '--kubeconfig', cluster.kubeconfig, '-o', 'json',
      ], cluster.env()),
    ));
  }, 120_000);

  afterAll(async () => {
    await cluster.close();
    rmSync(dirname(script), { recursive: true, force: true });
  });

  it('concurrent grants all exit 0', () => {
    expect(results.map((result) => result.stderr).filter((stderr) => stderr !== '')).toEqual([]);
    expect(results.map((result) => result.code)).toEqual(Array.from({ length: WRITERS }, () => 0));
  });

  it('concurrent grants lose no update', () => {
    const mapUsers = cluster.server.store.get('kube-system', 'aws-auth').data?.['mapUsers'] ?? '';
    for (let index = 0; index < WRITERS; index++) expect(mapUsers).toContain(`userarn: ${userArn(index)}\n`);
  });

  it('concurrent grants keep the node role', () => {
    expect(cluster.server.store.get('kube-system', 'aws-auth').data?.['mapRoles']).toBe(NODE_ROLE_MAP_ROLES);
  });

  it('concurrent grants met conflicts', () => {
    expect(cluster.server.conflicts()).toBeGreaterThanOrEqual(4);
  });

  it('concurrent grants report every conflict', () => {
    const reported = results.map((result) => (JSON.parse(result.stdout) as { conflicts: number }).conflicts);
    expect(reported.reduce((total, count) => total + count, 0)).toBe(cluster.server.conflicts());
  });

  it('concurrent grants keep one backup each', () => {
    const files = readdirSync(join(cluster.dir, '.kube', 'kubeiam-backups'));
    expect(files).toHaveLength(WRITERS);
  });

});
