import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeKubeconfig } from '../../src/aws/kubeconfig.js';
import { startDemoApiServer, type DemoApiServer } from '../../src/demo/apiserver.js';
import { CLI_PATH, DEMO_REGION, runProcess, startLab, type DemoCluster, type Lab } from '../../src/demo/lab.js';
import { generateSelfSignedCertificate } from '../../src/webhook/certificate.js';

// Real kubectl runs the exec entry that `kubeiam kubeconfig --launcher` writes: /bin/sh with the
// launcher script, falling back to bin/kubeiam.js (the built bundle; `npm test` builds it first).
// The kubeiam command is a wrapper that logs each start, so the tests see when Node.js ran.
const ACCOUNT = '111122223333';
const CREATOR = `arn:aws:iam::${ACCOUNT}:user/cluster_creator`;
const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapUsers: |
    - userarn: arn:aws:iam::${ACCOUNT}:user/mapped_user
      username: mapped-user
      groups:
        - system:masters
`;

describe('kubectl with the sh launcher', () => {
  let dir: string;
  let lab: Lab;
  let cluster: DemoCluster;
  let recorder: DemoApiServer;
  const received: string[] = [];
  const tls = generateSelfSignedCertificate({ ipAddresses: ['127.0.0.1'] });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kubeiam-launcher-e2e-'));
    lab = await startLab({ dir });
    if (lab.kubectl === undefined) throw new Error('kubectl is not on PATH; these tests need the real kubectl');
    lab.registry.addAccount({ id: ACCOUNT });
    for (const name of ['cluster_creator', 'mapped_user']) lab.registry.createUser({ name, accountId: ACCOUNT });
    cluster = await lab.startCluster({ name: 'e2e', creatorArn: CREATOR, awsAuthText: AWS_AUTH });
    recorder = await startDemoApiServer({
      tls,
      review: (token) => cluster.review(token),
      onToken: (token) => received.push(token),
    });
  });

  afterAll(async () => {
    await recorder?.close();
    await lab?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes a kubeconfig through mergeKubeconfig, as `kubeiam kubeconfig --launcher` does. */
  function writeKubeconfig(name: string): { kubeconfig: string; log: string } {
    const log = join(dir, `${name}.log`);
    const wrapper = join(dir, `${name} kubeiam`);
    writeFileSync(wrapper, `#!/bin/sh\necho start >>'${log}'\nexec '${process.execPath}' '${CLI_PATH}' "$@"\n`, { mode: 0o755 });
    const kubeconfig = join(dir, `${name}.kubeconfig`);
    const merged = mergeKubeconfig(undefined, {
      clusterArn: `arn:aws:eks:${DEMO_REGION}:${ACCOUNT}:cluster/e2e`,
      clusterName: 'e2e',
      region: DEMO_REGION,
      server: recorder.url,
      certificateAuthorityData: Buffer.from(tls.cert).toString('base64'),
      command: wrapper,
      launcher: true,
    }, kubeconfig);
    writeFileSync(kubeconfig, merged.text, { mode: 0o600 });
    return { kubeconfig, log };
  }

  function starts(log: string): number {
    return existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0;
  }

  it('authenticates from the cache without starting Node.js', async () => {
    const { kubeconfig, log } = writeKubeconfig('mapped');
    const keys = lab.registry.createAccessKey('mapped_user', { accountId: ACCOUNT });
    const env = { ...lab.awsEnv(keys), HOME: join(dir, 'home-mapped') };
    const kubectl = (): ReturnType<typeof runProcess> =>
      runProcess(lab.kubectl ?? 'kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '--namespace', 'default'], env);

    received.length = 0;
    const first = await kubectl();
    const second = await kubectl();
    expect(first.stderr).toContain('No resources found in default namespace.');
    expect(first.code).toBe(0);
    expect(second.stderr).toContain('No resources found in default namespace.');
    expect(second.code).toBe(0);

    expect(starts(log)).toBe(1);
    expect(received.length).toBeGreaterThanOrEqual(2);
    expect(received.at(-1)).toBe(received[0]);
    const review = await cluster.review(received.at(-1) ?? '');
    expect(review).toEqual({ authenticated: true, username: 'mapped-user', groups: ['system:masters'] });
  });

  it('runs kubeiam token for other credentials', async () => {
    const { kubeconfig, log } = writeKubeconfig('switch');
    const home = join(dir, 'home-switch');
    const run = (keys: ReturnType<Lab['registry']['createAccessKey']>): ReturnType<typeof runProcess> =>
      runProcess(lab.kubectl ?? 'kubectl', ['--kubeconfig', kubeconfig, 'get', 'pods', '--namespace', 'default'], {
        ...lab.awsEnv(keys),
        HOME: home,
      });

    const mapped = await run(lab.registry.createAccessKey('mapped_user', { accountId: ACCOUNT }));
    const creator = await run(lab.registry.createAccessKey('cluster_creator', { accountId: ACCOUNT }));
    expect(mapped.code).toBe(0);
    expect(creator.code).toBe(0);
    expect(starts(log)).toBe(2);
    expect(await cluster.review(received.at(-1) ?? '')).toMatchObject({ authenticated: true, username: CREATOR });
  });
});
