import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectAwsAuth, type AwsAuthCluster } from '../../src/kube/index.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/server.js';

export const ACCOUNT_ID = '111122223333';
export const NODE_ROLE = `arn:aws:iam::${ACCOUNT_ID}:role/eks-node-role`;

/** The aws-auth of a fresh EKS cluster with one managed node group. */
export const NODE_ROLE_MAP_ROLES = `- rolearn: ${NODE_ROLE}
  username: system:node:{{EC2PrivateDNSName}}
  groups:
  - system:bootstrappers
  - system:nodes
`;

export interface ClusterFixture {
  readonly server: TestApiServer;
  readonly dir: string;
  readonly kubeconfig: string;
  connect(): Promise<AwsAuthCluster>;
  /** Environment for kubeiam and kubectl processes: no real AWS or Kubernetes configuration. */
  env(extra?: Record<string, string>): Record<string, string>;
  close(): Promise<void>;
}

/** Starts the test API server and writes a kubeconfig for it into a new temporary directory. */
export async function startCluster(): Promise<ClusterFixture> {
  const server = await startTestApiServer({ token: 'cluster-test-token' });
  const dir = mkdtempSync(join(tmpdir(), 'kubeiam-cluster-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(kubeconfig, server.kubeconfig({ token: 'cluster-test-token' }), { mode: 0o600 });
  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    PATH: process.env['PATH'] ?? '',
    HOME: dir,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    LANG: 'C',
    ...extra,
  });
  return {
    server,
    dir,
    kubeconfig,
    connect: () => connectAwsAuth({ kubeconfig, env: {}, cwd: dir }),
    env,
    close: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Seeds kube-system/aws-auth with the given data. */
export function seedAwsAuth(server: TestApiServer, data: Record<string, string>): void {
  server.store.create('kube-system', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth', namespace: 'kube-system' }, data });
}
