import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { clientFor } from '../accessentries/support.js';
import { startEksEndpoint, type EksEndpoint } from '../eks-endpoint/server.js';
import { run } from '../../src/cli/main.js';
import { runCli } from '../support/cli.js';
import { LOOKUP_EVENTS_TARGETS, startCloudTrailServer, type CloudTrailServer, type TrailRecordFixture } from './cloudtrail-server.js';
import { createAwsTestEnv, type AwsTestEnv } from './env.js';
import { ACCOUNT, createClusterRecord, IDENTITIES } from './records.js';

const NOW = new Date('2026-12-01T12:00:00Z');
const RECENT = '2026-11-20T09:15:00Z';

let server: CloudTrailServer;
let eks: EksEndpoint;
let awsEnv: AwsTestEnv;
let env: Record<string, string>;

beforeAll(async () => {
  awsEnv = createAwsTestEnv();
  server = await startCloudTrailServer();
  eks = await startEksEndpoint();
  eks.addCluster('prod');
  eks.addCluster('legacy', { mode: 'CONFIG_MAP' });
  eks.addCluster('fresh');
  const admin = clientFor(eks, 'prod');
  for (const principalArn of [`arn:aws:iam::${ACCOUNT}:role/cluster_creator`, `arn:aws:iam::${ACCOUNT}:user/ops`]) {
    await admin.createEntry({ principalArn });
    await admin.associatePolicy({ principalArn, policy: 'AmazonEKSClusterAdminPolicy', scope: 'cluster', namespaces: [] });
  }
  await admin.createEntry({ principalArn: `arn:aws:iam::${ACCOUNT}:role/viewer` });
  env = { ...awsEnv.env, AWS_ENDPOINT_URL_CLOUDTRAIL: server.url, AWS_ENDPOINT_URL_EKS: eks.url, AWS_REGION: 'eu-west-1' };
});

afterAll(async () => {
  await eks?.close();
  await server?.close();
  awsEnv?.cleanup();
});

beforeEach(() => {
  server.requests.length = 0;
  server.pageSize = 50;
  server.delayMs = 0;
});

/** Other services' CreateCluster events, which event history returns for EventName=CreateCluster too. */
function noise(count: number, startDay: number): TrailRecordFixture[] {
  return Array.from({ length: count }, (_, index) => {
    const time = new Date(Date.UTC(2026, 10, startDay, 0, index)).toISOString().replace('.000', '');
    return createClusterRecord({ cluster: `ecs-${index}`, time, identity: IDENTITIES.iamUser, eventSource: 'ecs.amazonaws.com' });
  });
}

async function creator(args: string[]): Promise<{ code: number; stdout: string; stderr: string; json: Record<string, unknown> | undefined }> {
  const result = await runCli(['creator', '--cluster', 'prod', ...args], { env, now: NOW });
  let json: Record<string, unknown> | undefined;
  try {
    json = JSON.parse(result.stdout) as Record<string, unknown>;
  } catch {
    json = undefined;
  }
  return { ...result, json };
}

describe('kubeiam creator (event history)', () => {
  it.each([
    ['IAM user', IDENTITIES.iamUser, `arn:aws:iam::${ACCOUNT}:user/cluster_creator`],
    ['assumed role with path', IDENTITIES.assumedRoleWithPath, `arn:aws:iam::${ACCOUNT}:role/cluster_creator`],
    ['federated user', IDENTITIES.federatedUser, `arn:aws:sts::${ACCOUNT}:federated-user/bob`],
    ['root', IDENTITIES.root, `arn:aws:iam::${ACCOUNT}:root`],
  ])('creator %s', async (_name, identity, canonicalArn) => {
    server.records = [createClusterRecord({ cluster: 'prod', time: RECENT, identity })];
    const result = await creator(['-o', 'json']);
    const found = result.json?.creator as Record<string, unknown> | undefined;
    expect(result.code).toBe(0);
    expect(result.json?.found).toBe(true);
    expect(found?.canonicalArn).toBe(canonicalArn);
    expect(found?.identityType).toBe(identity.type);
  });

  it('creator text names ARN and warning', async () => {
    server.records = [createClusterRecord({ cluster: 'prod', time: RECENT, identity: IDENTITIES.assumedRoleWithPath })];
    const result = await creator([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ARN to use:     arn:aws:iam::${ACCOUNT}:role/cluster_creator`);
    expect(result.stdout).toContain(`IAM principal:  arn:aws:iam::${ACCOUNT}:role/platform/admins/cluster_creator`);
    expect(result.stdout).toContain(`Do not add arn:aws:iam::${ACCOUNT}:role/cluster_creator to aws-auth`);
    expect(result.stdout).toContain('(it keeps 90 days)');
  });

  it('creator request shape', async () => {
    server.records = [createClusterRecord({ cluster: 'prod', time: RECENT, identity: IDENTITIES.root })];
    await creator(['-o', 'json']);
    const request = server.requests[0];
    expect(LOOKUP_EVENTS_TARGETS).toContain(request?.target);
    expect(request?.contentType).toContain('application/x-amz-json-1.1');
    expect(request?.credentialScope).toMatch(/\/eu-west-1\/cloudtrail\/aws4_request$/);
    expect(request?.body.LookupAttributes).toEqual([{ AttributeKey: 'EventName', AttributeValue: 'CreateCluster' }]);
    expect(request?.body.EndTime).toBe(NOW.getTime() / 1000);
    expect(request?.body.StartTime).toBe(NOW.getTime() / 1000 - 90 * 24 * 3600);
  });

  it('creator pagination across 3 pages', async () => {
    server.pageSize = 10;
    server.records = [...noise(25, 21), createClusterRecord({ cluster: 'prod', time: '2026-11-10T08:00:00Z', identity: IDENTITIES.iamUser })];
    const result = await creator(['-o', 'json']);
    const search = result.json?.search as Record<string, unknown> | undefined;
    expect(result.code).toBe(0);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[1]?.body.NextToken).toEqual(expect.any(String));
    expect(search?.pages).toBe(3);
    expect(search?.events).toBe(26);
  });

  it.each([
    ['table', true],
    ['json', false],
  ])('creator progress on a terminal, %s', async (output, shown) => {
    server.pageSize = 10;
    server.records = [...noise(25, 21), createClusterRecord({ cluster: 'prod', time: '2026-11-10T08:00:00Z', identity: IDENTITIES.iamUser })];
    let stderr = '';
    let clock = NOW.getTime();
    const code = await run(['creator', '--cluster', 'prod', '-o', output], {
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
      },
      env,
      cwd: awsEnv.dir,
      // Every reading of the clock advances it by 0.6 s, so the search looks slow.
      now: () => new Date((clock += 600)),
      isTTY: true,
      readStdin: async () => '',
    });
    expect(code).toBe(0);
    expect(stderr.includes('Searching CloudTrail event history: page 3, 26 event(s)')).toBe(shown);
  });

  it('creator progress while a page is slow', async () => {
    server.records = [createClusterRecord({ cluster: 'prod', time: RECENT, identity: IDENTITIES.root })];
    server.delayMs = 800;
    let stderr = '';
    let clock = NOW.getTime();
    await run(['creator', '--cluster', 'prod'], {
      stdout: () => undefined,
      stderr: (text) => {
        stderr += text;
      },
      env,
      cwd: awsEnv.dir,
      // Every reading of the clock advances it by 1.1 s, so the first check during the wait reads over a second.
      now: () => new Date((clock += 1100)),
      isTTY: true,
      readStdin: async () => '',
    });
    expect(stderr).toMatch(/waiting \d+ s for page 1/);
  });

  it('creator newest of a reused name', async () => {
    server.records = [
      createClusterRecord({ cluster: 'prod', time: '2026-10-01T00:00:00Z', identity: IDENTITIES.root }),
      createClusterRecord({ cluster: 'prod', time: RECENT, identity: IDENTITIES.iamUser }),
      createClusterRecord({ cluster: 'prod', time: '2026-11-25T00:00:00Z', identity: IDENTITIES.federatedUser, errorCode: 'ResourceInUseException' }),
    ];
    const result = await creator(['-o', 'json']);
    expect((result.json?.creator as Record<string, unknown>).canonicalArn).toBe(`arn:aws:iam::${ACCOUNT}:user/cluster_creator`);
  });

  it('creator not found in 90 days', async () => {
    server.records = [...noise(3, 21), createClusterRecord({ cluster: 'prod', time: '2026-08-01T00:00:00Z', identity: IDENTITIES.iamUser })];
    const result = await creator([]);
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('ARN to use');
    expect(result.stderr).toContain('no successful EKS CreateCluster event for cluster prod');
    expect(result.stderr).toContain('Event history keeps 90 days');
    expect(result.stderr).toContain('--from-logs DIR');
  });

  it('creator falls back to admin entries', async () => {
    server.records = [];
    const result = await creator([]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('AmazonEKSClusterAdminPolicy');
    expect(result.stdout).toContain(`  arn:aws:iam::${ACCOUNT}:role/cluster_creator`);
    expect(result.stdout).toContain(`  arn:aws:iam::${ACCOUNT}:user/ops`);
    expect(result.stdout).not.toContain('role/viewer');
  });

  it.each([
    ['legacy', 'config-map-only', 'aws-auth only (CONFIG_MAP)'],
    ['fresh', 'listed', 'No EKS access entry has AmazonEKSClusterAdminPolicy'],
    ['absent', 'failed', 'Could not list the EKS access entries'],
  ])('creator entries fallback %s', async (cluster, status, text) => {
    server.records = [];
    const json = await runCli(['creator', '--cluster', cluster, '-o', 'json'], { env, now: NOW });
    const report = JSON.parse(json.stdout) as { adminEntries: { status: string } };
    const result = await runCli(['creator', '--cluster', cluster], { env, now: NOW });
    expect(report.adminEntries.status).toBe(status);
    expect(result.stdout).toContain(text);
  });

  it('creator not found JSON', async () => {
    server.records = [];
    const result = await creator(['-o', 'json']);
    expect(result.code).toBe(1);
    expect(result.json?.found).toBe(false);
  });

  it('creator AWS service caller', async () => {
    server.records = [createClusterRecord({ cluster: 'prod', time: RECENT, identity: IDENTITIES.awsService })];
    const result = await creator([]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('an AWS service created this cluster');
    expect(result.stdout).not.toContain('Do not add');
  });

  it('creator CloudTrail error', async () => {
    const result = await runCli(['creator', '--cluster', 'prod', '--endpoint-url', `${server.url}/nowhere`], { env, now: NOW });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cloudtrail:LookupEvents for cluster prod failed');
  });
});

describe('kubeiam creator --from-logs', () => {
  function writeLogs(name: string, files: Record<string, TrailRecordFixture[] | string>): string {
    const dir = join(awsEnv.dir, name);
    for (const [file, content] of Object.entries(files)) {
      const path = join(dir, file);
      mkdirSync(join(path, '..'), { recursive: true });
      const text = typeof content === 'string' ? content : JSON.stringify({ Records: content });
      writeFileSync(path, file.endsWith('.gz') ? gzipSync(text) : text);
    }
    return dir;
  }

  const day = `AWSLogs/${ACCOUNT}/CloudTrail/eu-west-1/2025/03/02`;

  it('from-logs gzip files recursively', async () => {
    const dir = writeLogs('logs-gz', {
      [`${day}/${ACCOUNT}_CloudTrail_eu-west-1_20250302T0905Z_a.json.gz`]: noise(4, 2),
      [`${day}/${ACCOUNT}_CloudTrail_eu-west-1_20250302T0910Z_b.json.gz`]: [createClusterRecord({ cluster: 'prod', time: '2025-03-02T09:08:00Z', identity: IDENTITIES.assumedRoleWithPath })],
      [`AWSLogs/${ACCOUNT}/CloudTrail-Digest/eu-west-1/2025/03/02/digest.json.gz`]: '{"digestStartTime":"2025-03-02T08:00:00Z"}',
    });
    const result = await creator(['--from-logs', dir, '-o', 'json']);
    const search = result.json?.search as Record<string, unknown>;
    expect(result.code).toBe(0);
    expect((result.json?.creator as Record<string, unknown>).canonicalArn).toBe(`arn:aws:iam::${ACCOUNT}:role/cluster_creator`);
    expect(search.files).toBe(3);
    expect(search.problems).toEqual([]);
    expect(server.requests).toHaveLength(0);
  });

  it('from-logs plain JSON and legacy name', async () => {
    const dir = writeLogs('logs-json', { 'trail.json': [createClusterRecord({ cluster: 'prod', time: '2019-01-01T00:00:00Z', identity: IDENTITIES.iamUser, nameKey: 'clusterName' })] });
    const result = await creator(['--from-logs', dir]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`ARN to use:     arn:aws:iam::${ACCOUNT}:user/cluster_creator`);
    expect(result.stdout).toContain('Searched 1 trail log file(s)');
    expect(result.stdout).toContain('CloudTrail event eab22523');
  });

  it('from-logs skips a corrupt file', async () => {
    const dir = writeLogs('logs-corrupt', {
      'a.json.gz': 'not gzip at all',
      'b.json': [createClusterRecord({ cluster: 'prod', time: RECENT, identity: IDENTITIES.root })],
    });
    const result = await creator(['--from-logs', dir]);
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('Warning: skipped');
    expect(result.stderr).toContain('a.json.gz');
  });

  it('from-logs record without event ID', async () => {
    const { eventID: _id, ...record } = createClusterRecord({ cluster: 'prod', time: RECENT, identity: IDENTITIES.root });
    const dir = writeLogs('logs-no-id', { 'a.json': [record as TrailRecordFixture] });
    const result = await creator(['--from-logs', dir]);
    expect(result.stdout).toContain(`Created:        ${RECENT}\n`);
    expect(result.stdout).not.toContain('CloudTrail event');
  });

  it('from-logs not found', async () => {
    const dir = writeLogs('logs-none', { 'a.json': noise(2, 3) });
    const result = await creator(['--from-logs', dir]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('in 1 trail log file(s) under');
  });

  it('from-logs missing directory', async () => {
    const result = await creator(['--from-logs', join(awsEnv.dir, 'absent')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read the trail log directory');
  });
});
