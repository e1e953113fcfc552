import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamRegistry } from '../../src/emulator/registry.js';
import { startStsEmulator, type StsEmulator } from '../../src/emulator/server.js';
import { presignGetCallerIdentity } from '../../src/token/presign.js';
import { buildCliBundle } from './bundle.js';
import { runProcess, type ProcessResult } from './process.js';
import { ACCOUNT_ID, startCluster, type ClusterFixture } from './support.js';

// End to end: `kubeiam serve -c config.yaml` with `server.backendMode: [CRD]`, a real kubectl (1.32)
// applying an IAMIdentityMapping to the test API server, and a TokenReview for a token of that
// identity, signed for and verified by the STS emulator. Nothing leaves 127.0.0.1.
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLUSTER_ID = 'crd-e2e';
const ALICE = `arn:aws:iam::${ACCOUNT_ID}:user/Alice`;
const MANIFEST = `apiVersion: iamauthenticator.k8s.aws/v1alpha1
kind: IAMIdentityMapping
metadata:
  name: alice
spec:
  arn: ${ALICE}
  username: alice
  groups:
  - viewers
  - system:authenticated-readers
`;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const chosen = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(chosen));
    });
  });
}

describe('kubeiam serve with backendMode CRD', () => {
  let cluster: ClusterFixture;
  let emulator: StsEmulator;
  let server: ChildProcess | undefined;
  let serverLog = '';
  let port: number;
  let ca: string;
  let token: string;
  let applied: ProcessResult;

  const kubectl = (...args: string[]): Promise<ProcessResult> => runProcess('kubectl', ['--kubeconfig', cluster.kubeconfig, ...args], cluster.env());

  const review = (): Promise<{ status: number; user: Record<string, unknown> | undefined }> =>
    new Promise((resolve, reject) => {
      const body = JSON.stringify({ apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } });
      const outgoing = httpsRequest({ host: '127.0.0.1', port, path: '/authenticate', method: 'POST', ca, servername: 'localhost', agent: false }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, user: (JSON.parse(text) as { status?: { user?: Record<string, unknown> } }).status?.user }));
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });

  const startServe = (script: string, config: string): Promise<void> => {
    const child = spawn(process.execPath, [script, 'serve', '-c', config, '--sts-endpoint-override', emulator.url, '--log-level', 'info'], {
      env: cluster.env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    server = child;
    child.stderr.on('data', (chunk: Buffer) => (serverLog += chunk.toString('utf8')));
    return new Promise((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        serverLog += chunk.toString('utf8');
        if (serverLog.includes('listening on')) resolve();
      });
      child.once('exit', (code) => reject(new Error(`kubeiam serve exited with ${code}: ${serverLog}`)));
    });
  };

  beforeAll(async () => {
    cluster = await startCluster();
    const registry = new IamRegistry();
    registry.addAccount({ id: ACCOUNT_ID });
    registry.createUser({ name: 'Alice', accountId: ACCOUNT_ID });
    const keys = registry.createAccessKey('Alice', { accountId: ACCOUNT_ID });
    emulator = await startStsEmulator({ registry });
    port = await freePort();
    const config = join(cluster.dir, 'config.yaml');
    writeFileSync(config, `clusterID: ${CLUSTER_ID}
server:
  address: 127.0.0.1
  port: ${port}
  stateDir: ${join(cluster.dir, 'state')}
  kubeconfig: ${cluster.kubeconfig}
  backendMode:
  - CRD
`);
    await startServe(await buildCliBundle(ROOT), config);
    ca = readFileSync(join(cluster.dir, 'state', 'cert.pem'), 'utf8');
    token = (await presignGetCallerIdentity({ credentials: keys, region: 'us-east-1', clusterId: CLUSTER_ID, now: new Date() })).token;

    const manifest = join(cluster.dir, 'alice.yaml');
    writeFileSync(manifest, MANIFEST);
    applied = await kubectl('apply', '-f', manifest);
  }, 60_000);

  afterAll(async () => {
    if (server !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGTERM');
      await exited;
    }
    await emulator?.close();
    await cluster?.close();
  });

  it('kubectl apply creates the mapping', () => {
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('iamidentitymapping.iamauthenticator.k8s.aws/alice created');
  });

  it('serve maps the applied identity', async () => {
    let result = await review();
    for (let attempt = 0; attempt < 250 && result.status !== 200; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      result = await review();
    }
    expect(result.status).toBe(200);
    expect(result.user?.['username']).toBe('alice');
    expect(result.user?.['groups']).toEqual(['viewers', 'system:authenticated-readers']);
    expect(result.user?.['uid']).toMatch(new RegExp(`^aws-iam-authenticator:${ACCOUNT_ID}:AIDA`));
  });

  it('kubectl reads the synced status', async () => {
    const result = await kubectl('get', 'iamidentitymapping', 'alice', '--output', 'jsonpath={.status.canonicalARN}');
    expect(result.stdout).toBe(ALICE.toLowerCase());
  });

  it('serve records the Synced event', () => {
    const events = cluster.server.events.list('default').filter((event) => event.involvedObject?.name === 'alice');
    expect(events.map((event) => [event.reason, event.message])).toEqual([['Synced', 'Identity synced successfully']]);
  });

  it('kubectl delete denies again', async () => {
    const deleted = await kubectl('delete', 'iamidentitymapping', 'alice');
    expect(deleted.stdout).toContain('deleted');
    let result = await review();
    for (let attempt = 0; attempt < 250 && result.status !== 403; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      result = await review();
    }
    expect(result.status).toBe(403);
  });
});
