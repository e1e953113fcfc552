import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamRegistry } from '../../src/emulator/registry.js';
import { loadSeed, parseSeed } from '../../src/emulator/seed.js';
import { startStsEmulator, type StsEmulator } from '../../src/emulator/server.js';
import { startTestApiServer, type TestApiServer } from '../apiserver/server.js';
import { testedBlocks } from './blocks.js';

/*
 * Runs the marked sh blocks of every page in docs/guide, page by page in a fresh directory. `kubeiam`
 * on the PATH is bin/kubeiam.js, so `npm run build` must have run. The blocks get fake credentials of
 * designated_user, and AWS_ENDPOINT_URL_STS points at the STS emulator on 127.0.0.1. KUBECONFIG names
 * the test-only stand-in API server (test/apiserver), whose kube-system/aws-auth maps a node role.
 */

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const GUIDE = join(REPO, 'docs', 'guide');
const ACCOUNT = '111122223333';
const DESIGNATED_KEY = { id: 'AKIADESIGNATEDUSER01', secret: 'dOcStEsTdEsIgNaTeDuSeRsEcReTkEy000000001' };

const SEED = {
  accounts: [{ id: ACCOUNT }],
  users: [
    { name: 'designated_user', accountId: ACCOUNT, accessKeys: [DESIGNATED_KEY] },
    { name: 'cluster_creator', accountId: ACCOUNT, accessKeys: [{ id: 'AKIACLUSTERCREATOR01', secret: 'dOcStEsTcLuStErCrEaToRsEcReTkEy000000002' }] },
  ],
  roles: [],
};

const pages = readdirSync(GUIDE).filter((name) => name.endsWith('.md')).sort();
const API_TOKEN = 'docs-test-token';
const NODE_MAP_ROLES = `- rolearn: arn:aws:iam::${ACCOUNT}:role/eks-node
  username: system:node:{{EC2PrivateDNSName}}
  groups:
    - system:bootstrappers
    - system:nodes
`;

let emulator: StsEmulator | undefined;
let apiServer: TestApiServer | undefined;
let kubeconfig = '';
let pathDir = '';

function environment(home: string): Record<string, string> {
  writeFileSync(join(home, 'aws-config'), '');
  writeFileSync(join(home, 'aws-credentials'), '');
  return {
    PATH: `${pathDir}:${process.env.PATH ?? ''}`,
    HOME: home,
    LANG: 'C.UTF-8',
    NO_COLOR: '1',
    KUBECONFIG: kubeconfig,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: join(home, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(home, 'aws-credentials'),
    AWS_ACCESS_KEY_ID: DESIGNATED_KEY.id,
    AWS_SECRET_ACCESS_KEY: DESIGNATED_KEY.secret,
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_STS: emulator?.url ?? '',
  };
}

/**
 * Runs a block with bash. It must not block the event loop (spawnSync would), because the STS
 * emulator that the block's commands call runs in this process.
 */
function runBlock(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; output: string }> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['--noprofile', '--norc', '-e', '-o', 'pipefail', '-c', script], { cwd, env, timeout: 60_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolvePromise({ status, output }));
  });
}

beforeAll(async () => {
  const registry = new IamRegistry();
  loadSeed(registry, parseSeed(SEED));
  emulator = await startStsEmulator({ registry });
  pathDir = mkdtempSync(join(tmpdir(), 'kubeiam-docs-bin-'));
  symlinkSync(join(REPO, 'bin', 'kubeiam.js'), join(pathDir, 'kubeiam'));

  apiServer = await startTestApiServer({ token: API_TOKEN });
  const metadata = { name: 'aws-auth', namespace: 'kube-system' };
  apiServer.store.create('kube-system', { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { mapRoles: NODE_MAP_ROLES } });
  kubeconfig = join(pathDir, 'kubeconfig');
  writeFileSync(kubeconfig, apiServer.kubeconfig({ token: API_TOKEN }), { mode: 0o600 });
});

afterAll(async () => {
  await emulator?.close();
  await apiServer?.close();
});

describe.each(pages)('docs/guide/%s', (page) => {
  const markdown = readFileSync(join(GUIDE, page), 'utf8');
  const home = mkdtempSync(join(tmpdir(), 'kubeiam-docs-'));
  const work = join(home, 'work');
  mkdirSync(work);

  it('links resolve', () => {
    const targets = [...markdown.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((match) => match[1] ?? '');
    const local = targets.filter((target) => !/^[a-z]+:/.test(target));
    for (const target of local) expect(existsSync(resolve(dirname(join(GUIDE, page)), target)), target).toBe(true);
  });

  it.each(testedBlocks(markdown).map((block) => [block.line, block] as const))('block at line %i', async (_line, block) => {
    const { status, output } = await runBlock(block.script, work, environment(home));

    expect(status, output).toBe(block.exitCode);
    for (const text of block.contains) expect(output).toContain(text);
  });
});
