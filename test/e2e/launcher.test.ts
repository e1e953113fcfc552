import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeKubeconfig } from '../../src/aws/kubeconfig.js';
import type { DemoApiServer } from '../../src/demo/apiserver.js';
import { CLI_PATH, DEMO_REGION, runProcess, type DemoCluster, type Lab } from '../../src/demo/lab.js';
import type { CertificateAndKey } from '../../src/webhook/certificate.js';
import { ACCOUNT, CREATOR, startRecordingCluster, type RecordingCluster } from './recording-cluster.js';

// Real kubectl runs the exec entry that `kubeiam kubeconfig --launcher` writes: /bin/sh with the
// launcher script, falling back to bin/kubeiam.js (the built bundle; `npm test` builds it first).
// The kubeiam command is a wrapper that logs each start, so the tests see when Node.js ran.
describe('kubectl with the sh launcher', () => {
  let fixture: RecordingCluster;
  let dir: string;
  let lab: Lab;
  let cluster: DemoCluster;
  let recorder: DemoApiServer;
  let received: string[];
  let tls: CertificateAndKey;

  beforeAll(async () => {
    fixture = await startRecordingCluster('kubeiam-launcher-e2e-', ['cluster_creator', 'mapped_user']);
    ({ dir, lab, cluster, recorder, received, tls } = fixture);
  });

  afterAll(async () => {
    await fixture?.close();
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
