import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoApiServer } from '../../src/demo/apiserver.js';
import { renderKubeconfig, runProcess, type DemoCluster, type Lab } from '../../src/demo/lab.js';
import { parseToken } from '../../src/token/parse.js';
import type { CertificateAndKey } from '../../src/webhook/certificate.js';
import { ACCOUNT, startRecordingCluster, type RecordingCluster } from './recording-cluster.js';

// Real kubectl runs bin/kubeiam.js (the built bundle) as its exec credential plugin. Run `npm run
// build` first; `npm test` does.
describe('kubectl with kubeiam token', () => {
  let fixture: RecordingCluster;
  let dir: string;
  let lab: Lab;
  let cluster: DemoCluster;
  let recorder: DemoApiServer;
  let received: string[];
  let tls: CertificateAndKey;

  beforeAll(async () => {
    fixture = await startRecordingCluster('kubeiam-e2e-', ['cluster_creator', 'mapped_user', 'stranger']);
    ({ dir, lab, cluster, recorder, received, tls } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
  });

  async function kubectl(user: string, execApiVersion: string): Promise<{ code: number; stdout: string; stderr: string }> {
    const keys = lab.registry.createAccessKey(user, { accountId: ACCOUNT });
    const kubeconfig = join(dir, `kubeconfig-${user}-${execApiVersion.replace(/\W/g, '')}`);
    writeFileSync(kubeconfig, renderKubeconfig('e2e', recorder.url, tls.cert).replace(
      'client.authentication.k8s.io/v1beta1',
      execApiVersion,
    ));
    return runProcess(lab.kubectl ?? 'kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '--namespace', 'default'], {
      ...lab.awsEnv(keys),
      HOME: join(dir, `home-${user}-${execApiVersion.replace(/\W/g, '')}`),
    });
  }

  it.each(['client.authentication.k8s.io/v1beta1', 'client.authentication.k8s.io/v1'])(
    'sends a token that verifies (%s)',
    async (apiVersion) => {
      received.length = 0;
      const result = await kubectl('mapped_user', apiVersion);
      expect(result.stderr).toContain('No resources found in default namespace.');
      expect(result.code).toBe(0);

      const token = received.at(-1) ?? '';
      expect(parseToken(token, { partition: 'aws', region: '', now: new Date() }).host).toBe('sts.us-east-1.amazonaws.com');
      const review = await cluster.review(token);
      expect(review).toEqual({ authenticated: true, username: 'mapped-user', groups: ['system:masters'] });
    },
  );

  it('shows Unauthorized for an unmapped identity', async () => {
    const result = await kubectl('stranger', 'client.authentication.k8s.io/v1beta1');
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('error: You must be logged in to the server');
  });

  it('lets the creator in without aws-auth', async () => {
    const result = await kubectl('cluster_creator', 'client.authentication.k8s.io/v1');
    expect(result.code).toBe(0);
  });

  it('rejects a token for another cluster', async () => {
    const keys = lab.registry.createAccessKey('mapped_user', { accountId: ACCOUNT });
    const { presignGetCallerIdentity } = await import('../../src/token/presign.js');
    const other = await presignGetCallerIdentity({ credentials: keys, region: 'us-east-1', clusterId: 'other', now: new Date() });
    expect((await cluster.review(other.token)).authenticated).toBe(false);
  });
});
