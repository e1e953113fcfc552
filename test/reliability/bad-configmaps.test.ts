import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { identityFromArn } from '../../src/mapping/index.js';
import { IamRegistry, startStsEmulator, type AccessKeyPair, type StsEmulator } from '../../src/emulator/index.js';
import { presignGetCallerIdentity } from '../../src/token/index.js';
import { createWebhook, generateSelfSignedCertificate, type Webhook } from '../../src/webhook/index.js';
import { runCli } from '../support/cli.js';
import { REGION, review, temporaryDirectory } from './support.js';

// Every aws-auth pitfall goes through the real webhook (file source, STS emulator, a token round
// trip) and through `kubeiam lint`. Server behaviour follows aws-iam-authenticator's ParseMap: a key
// that fails to parse loads empty while the others load, and a ConfigMap the API server would
// reject loads nothing.
const ACCOUNT = '555555555555';
const CLUSTER = 'pitfalls';
const NODE_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/devel-worker-nodes-NodeInstanceRole-74RF4UBDUKL6`;
const DEV_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/dev`;
const FIXTURES = new URL('../../../shared/vectors/aws-auth-fixtures/', import.meta.url);

const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\ndata:\n';
const ADMIN_USERS = `  mapUsers: |\n    - userarn: arn:aws:iam::${ACCOUNT}:user/admin\n      username: admin\n      groups:\n        - system:masters\n`;
const devRole = (usernameLine: string, groupLine = '        - devs'): string =>
  `${HEAD}  mapRoles: |\n    - rolearn: ${DEV_ROLE_ARN}\n${usernameLine}\n      groups:\n${groupLine}\n${ADMIN_USERS}`;

interface Pitfall {
  readonly name: string;
  readonly text: () => string;
  /** Whether the admin user's token authenticates (mapUsers loaded). */
  readonly adminLoads: boolean;
  /** What the file source maps the role to: its groups, or undefined when nothing matches. */
  readonly role: { readonly arn: string; readonly username?: string; readonly groups?: readonly string[] } | undefined;
  readonly accountAllowed: boolean;
  /** Keys the webhook's health report lists as broken. */
  readonly brokenKeys: readonly string[];
  /** Whether `/healthz?verbose` reports the source as degraded. */
  readonly degraded: boolean;
  /** `key` labels the mapping-source error metric counts: a data key, or `document`. */
  readonly errorKeys: readonly string[];
  /** `code@line` of every lint finding, in line order. */
  readonly lint: readonly string[];
}

const fixture = (name: string) => (): string => readFileSync(new URL(name, FIXTURES), 'utf8');
const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];

const PITFALLS: readonly Pitfall[] = [
  {
    name: 'well-formed fixture',
    text: fixture('aws-auth.yaml'),
    adminLoads: true,
    role: { arn: NODE_ROLE_ARN, groups: NODE_GROUPS },
    accountAllowed: true,
    brokenKeys: [],
    degraded: false,
    errorKeys: [],
    lint: [],
  },
  {
    name: 'crazy-case entry keys',
    text: fixture('aws-auth-crazy-case-keys.yaml'),
    adminLoads: true,
    role: { arn: NODE_ROLE_ARN, groups: NODE_GROUPS },
    accountAllowed: true,
    brokenKeys: [],
    degraded: false,
    errorKeys: [],
    lint: ['ENTRY_KEY_CASE@8', 'ENTRY_KEY_CASE@9', 'ENTRY_KEY_CASE@10', 'ENTRY_KEY_CASE@14', 'ENTRY_KEY_CASE@15', 'ENTRY_KEY_CASE@16'],
  },
  {
    name: 'open-source-case entry keys',
    text: fixture('aws-auth-open-source-case-keys.yaml'),
    adminLoads: true,
    role: { arn: NODE_ROLE_ARN, groups: NODE_GROUPS },
    accountAllowed: true,
    brokenKeys: [],
    degraded: false,
    errorKeys: [],
    lint: ['ENTRY_KEY_CASE@8', 'ENTRY_KEY_CASE@14'],
  },
  {
    name: 'lower-case top keys',
    text: fixture('aws-auth-lower-case-top-keys.yaml'),
    adminLoads: false,
    role: undefined,
    accountAllowed: false,
    brokenKeys: [],
    degraded: false,
    errorKeys: [],
    lint: ['DATA_KEY_IGNORED@7', 'DATA_KEY_IGNORED@13', 'DATA_KEY_IGNORED@18'],
  },
  {
    name: 'crazy-case top keys',
    text: fixture('aws-auth-crazy-case-top-keys.yaml'),
    adminLoads: false,
    role: undefined,
    accountAllowed: false,
    brokenKeys: [],
    degraded: false,
    errorKeys: [],
    lint: ['DATA_KEY_IGNORED@7', 'DATA_KEY_IGNORED@13', 'DATA_KEY_IGNORED@18'],
  },
  {
    name: 'extra space before item',
    text: fixture('aws-auth-space-out-of-place.yaml'),
    adminLoads: true,
    role: { arn: NODE_ROLE_ARN, groups: ['system:bootstrappers - system:nodes'] },
    accountAllowed: true,
    brokenKeys: [],
    degraded: false,
    errorKeys: [],
    lint: ['NODE_GROUPS_MISSING@8', 'GROUP_MERGED@12'],
  },
  {
    name: 'missing bar',
    text: fixture('aws-auth-missing-bar.yaml'),
    adminLoads: false,
    role: undefined,
    accountAllowed: false,
    brokenKeys: [],
    degraded: true,
    errorKeys: ['document', 'mapRoles'],
    lint: ['DATA_NOT_STRING@7'],
  },
  {
    name: 'unquoted template',
    text: () => devRole('      username: {{SessionName}}'),
    adminLoads: true,
    role: undefined,
    accountAllowed: false,
    brokenKeys: ['mapRoles'],
    degraded: true,
    errorKeys: ['mapRoles'],
    lint: ['KEY_BROKEN@9', 'TEMPLATE_UNQUOTED@9'],
  },
  {
    name: 'quoted template',
    text: () => devRole('      username: "dev:{{SessionName}}"'),
    adminLoads: true,
    role: { arn: DEV_ROLE_ARN, username: 'dev:{{SessionName}}', groups: ['devs'] },
    accountAllowed: false,
    brokenKeys: [],
    degraded: false,
    errorKeys: [],
    lint: [],
  },
  {
    name: 'tab inside the block',
    text: () => devRole('    \t  username: dev'),
    adminLoads: true,
    role: undefined,
    accountAllowed: false,
    brokenKeys: ['mapRoles'],
    degraded: true,
    errorKeys: ['mapRoles'],
    lint: ['KEY_BROKEN@9', 'TAB_INDENT@9'],
  },
  {
    name: 'tab as block indentation',
    text: () => devRole('\t  username: dev'),
    adminLoads: false,
    role: undefined,
    accountAllowed: false,
    brokenKeys: [],
    degraded: true,
    errorKeys: ['document'],
    lint: ['YAML_SYNTAX@9'],
  },
  {
    name: 'boolean username',
    text: () => devRole('      username: yes'),
    adminLoads: true,
    role: { arn: DEV_ROLE_ARN, username: '', groups: ['devs'] },
    accountAllowed: false,
    brokenKeys: [],
    degraded: false,
    errorKeys: ['mapRoles'],
    lint: ['VALUE_NOT_STRING@9'],
  },
  {
    name: 'number username and group',
    text: () => devRole('      username: 12345', '        - 42'),
    adminLoads: true,
    role: { arn: DEV_ROLE_ARN, username: '', groups: [''] },
    accountAllowed: false,
    brokenKeys: [],
    degraded: false,
    errorKeys: ['mapRoles'],
    lint: ['VALUE_NOT_STRING@9', 'VALUE_NOT_STRING@11'],
  },
];

const temporary = temporaryDirectory('kubeiam-bad-configmaps-');
const tls = generateSelfSignedCertificate({ dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] });
let emulator: StsEmulator;
let adminKey: AccessKeyPair;
let signedAt = Date.now();

/** Presigns a token no earlier call returned, so no verified-token cache responds in place of STS. */
async function adminToken(): Promise<string> {
  signedAt -= 1000;
  return (await presignGetCallerIdentity({ credentials: adminKey, region: REGION, clusterId: CLUSTER, now: new Date(signedAt) })).token;
}

beforeAll(async () => {
  const registry = new IamRegistry();
  registry.addAccount({ id: ACCOUNT });
  registry.createUser({ name: 'admin', accountId: ACCOUNT });
  adminKey = registry.createAccessKey('admin', { accountId: ACCOUNT });
  emulator = await startStsEmulator({ registry });
});

afterAll(async () => {
  await emulator.close();
  temporary.remove();
});

describe.each(PITFALLS)('aws-auth with $name', (pitfall) => {
  const file = join(temporary.dir, `${pitfall.name.replaceAll(' ', '-')}.yaml`);
  let webhook: Webhook;

  beforeAll(async () => {
    writeFileSync(file, pitfall.text());
    webhook = await createWebhook({ clusterId: CLUSTER, region: REGION, stsOverride: emulator.url, awsAuthFile: file, tls, port: 0, logger: pino({ level: 'silent' }) });
  });

  afterAll(() => webhook.close());

  it('server maps the admin user accordingly', async () => {
    const result = await review(webhook.server.url, tls.cert, await adminToken());

    expect(result.status).toBe(pitfall.adminLoads ? 200 : 403);
    expect(result.username).toBe(pitfall.adminLoads ? 'admin' : undefined);
  });

  it('server maps the role accordingly', () => {
    const source = webhook.sources.at(-1);
    const roleArn = pitfall.role?.arn ?? DEV_ROLE_ARN;
    const mapped = source?.map(identityFromArn(roleArn.replace(':iam::', ':sts::').replace(':role/', ':assumed-role/') + '/session'));

    expect(mapped === undefined).toBe(pitfall.role === undefined);
    if (pitfall.role?.groups !== undefined) expect(mapped?.groups).toEqual(pitfall.role.groups);
    if (pitfall.role?.username !== undefined) expect(mapped?.username).toBe(pitfall.role.username);
  });

  it('server allows the account accordingly', () => {
    expect(webhook.sources.at(-1)?.isAccountAllowed?.(ACCOUNT) ?? false).toBe(pitfall.accountAllowed);
  });

  it('health reports broken keys', () => {
    const report = webhook.health();

    expect([...(report.sources[0]?.brokenKeys ?? [])].sort()).toEqual([...pitfall.brokenKeys].sort());
    expect(report.status).toBe(pitfall.degraded ? 'degraded' : 'ok');
  });

  it('metric counts load errors', async () => {
    const { values } = await webhook.metrics.mappingSourceErrors.get();
    const keys = values.filter((value) => value.value > 0).map((value) => value.labels.key);

    expect([...new Set(keys)].sort()).toEqual([...pitfall.errorKeys].sort());
  });

  it('lint reports each finding line', async () => {
    const result = await runCli(['lint', file, '-o', 'json']);
    const report = JSON.parse(result.stdout) as { problems: Array<{ code: string; line?: number }> };

    expect(report.problems.map((problem) => `${problem.code}@${problem.line}`)).toEqual(pitfall.lint);
    expect(result.code).toBe(pitfall.lint.length === 0 ? 0 : 3);
  });
});

describe('aws-auth edited while serving', () => {
  const file = join(temporary.dir, 'live-edit.yaml');
  const devIdentity = identityFromArn(`arn:aws:sts::${ACCOUNT}:assumed-role/dev/session`);

  async function serveAndBreak(keepLastGood: boolean): Promise<Webhook> {
    writeFileSync(file, devRole('      username: "dev:{{SessionName}}"'));
    const webhook = await createWebhook({
      clusterId: CLUSTER,
      region: REGION,
      stsOverride: emulator.url,
      awsAuthFile: file,
      keepLastGood,
      pollIntervalMs: 20,
      tls,
      port: 0,
      logger: pino({ level: 'silent' }),
    });
    writeFileSync(file, devRole('      username: {{SessionName}}'));
    await vi.waitUntil(() => webhook.health().sources[0]?.brokenKeys.includes('mapRoles'), { timeout: 10_000, interval: 20 });
    return webhook;
  }

  it('broken key unloads by default', async () => {
    const webhook = await serveAndBreak(false);
    try {
      expect(webhook.sources.at(-1)?.map(devIdentity)).toBeUndefined();
      expect((await review(webhook.server.url, tls.cert, await adminToken())).status).toBe(200);
    } finally {
      await webhook.close();
    }
  });

  it('broken key kept with keep-last-good', async () => {
    const webhook = await serveAndBreak(true);
    try {
      expect(webhook.sources.at(-1)?.map(devIdentity)?.username).toBe('dev:{{SessionName}}');
      expect(webhook.health().sources[0]?.keptKeys).toEqual(['mapRoles']);
      expect((await review(webhook.server.url, tls.cert, await adminToken())).status).toBe(200);
    } finally {
      await webhook.close();
    }
  });
});

describe('lint on an extra space', () => {
  it('extra space finding names its line', async () => {
    const result = await runCli(['lint', new URL('aws-auth-space-out-of-place.yaml', FIXTURES).pathname, '-o', 'json']);
    const report = JSON.parse(result.stdout) as { problems: Array<{ code: string; line?: number }> };

    expect(report.problems.find((problem) => problem.code === 'GROUP_MERGED')?.line).toBe(12);
  });
});
