import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { StsCalls } from '../credentials/sts.js';
import type { AwsCredentials } from '../credentials/types.js';
import type { MessageKey, MessageParams, Translate } from '../i18n/catalog.js';
import { DEMO_REGION, type DemoCluster, type KubectlResult, type Lab } from './lab.js';

export const ACCOUNT = '111122223333';
const arn = (resource: string): string => `arn:aws:iam::${ACCOUNT}:${resource}`;
export const NAMES = {
  creatorUser: arn('user/cluster_creator'),
  designatedUser: arn('user/designated_user'),
  assumeRoleUser: arn('user/assume_role_user'),
  creatorRole: arn('role/cluster_creator'),
  nodeRole: arn('role/demo-nodegroup-NodeInstanceRole'),
  assumedCreator: `arn:aws:sts::${ACCOUNT}:assumed-role/cluster_creator/test`,
} as const;

/** Runs a kubeiam command in-process and returns its exit code and output. */
export type RunKubeiam = (argv: readonly string[]) => Promise<{ code: number; stdout: string; stderr: string }>;

export interface ScenarioIo {
  readonly print: (text: string) => void;
  readonly t: Translate;
  readonly kubeiam: RunKubeiam;
}

/** Counts of the checks that passed and failed. */
export interface ScenarioReport {
  passed: number;
  failed: number;
}

/** Credentials of one demo identity, with the name the story calls it by. */
interface Actor {
  readonly name: string;
  readonly credentials: AwsCredentials;
}

interface Actors {
  readonly creator: Actor;
  readonly designated: Actor;
  readonly assumer: Actor;
}

const INITIAL_AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    # Worker nodes join the cluster through this entry; removing it takes every node offline.
    - rolearn: ${NAMES.nodeRole}
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
`;

/** Plays SCENARIO's story on the lab: both ways of granting access, then the pitfalls. */
export async function playScenario(lab: Lab, io: ScenarioIo): Promise<ScenarioReport> {
  const report: ScenarioReport = { passed: 0, failed: 0 };
  const actors = createActors(lab, io.t);
  const step = new StepPrinter(io, report);

  await userCreatorStory(lab, actors, step, io);
  await roleCreatorStory(lab, actors, step, io);
  await pitfalls(lab, step, io);
  return report;
}

function createActors(lab: Lab, t: Translate): Actors {
  const { registry } = lab;
  registry.addAccount({ id: ACCOUNT });
  for (const name of ['cluster_creator', 'designated_user', 'assume_role_user']) {
    registry.createUser({ name, accountId: ACCOUNT });
  }
  registry.createRole({ name: 'cluster_creator', accountId: ACCOUNT, trust: [NAMES.assumeRoleUser] });
  registry.createRole({ name: 'demo-nodegroup-NodeInstanceRole', accountId: ACCOUNT, trust: [] });
  const actor = (name: string): Actor => ({ name, credentials: registry.createAccessKey(name, { accountId: ACCOUNT }) });
  return {
    creator: { ...actor('cluster_creator'), name: t('demo.actor.creatorUser') },
    designated: actor('designated_user'),
    assumer: actor('assume_role_user'),
  };
}

async function userCreatorStory(lab: Lab, actors: Actors, step: StepPrinter, io: ScenarioIo): Promise<void> {
  io.print(`\n${io.t('demo.part1')}\n`);
  const cluster = await lab.startCluster({ name: 'demo', creatorArn: NAMES.creatorUser, awsAuthText: INITIAL_AWS_AUTH });
  const file = relativeAwsAuth(lab, cluster);

  await whoAmI(lab, actors.designated, NAMES.designatedUser, step);
  await getPods(cluster, actors.designated, 'unauthorized', step);
  await kubeiamStep(step, io, ['explain', '--arn', NAMES.designatedUser, '--file', file, '--creator', NAMES.creatorUser], 3, 'demo.expect.explainUnmapped');
  await getPods(cluster, actors.creator, 'allowed', step);
  await kubeiamStep(step, io, grantArgs(file, NAMES.creatorUser), 0, 'demo.expect.granted');
  step.note('demo.applyNote');
  await cluster.waitUntilAuthenticated(actors.designated.credentials);
  await getPods(cluster, actors.designated, 'allowed', step);
}

async function roleCreatorStory(lab: Lab, actors: Actors, step: StepPrinter, io: ScenarioIo): Promise<void> {
  io.print(`\n${io.t('demo.part2')}\n`);
  const cluster = await lab.startCluster({ name: 'demo-role', creatorArn: NAMES.creatorRole, awsAuthText: INITIAL_AWS_AUTH });
  const file = relativeAwsAuth(lab, cluster);

  await whoAmI(lab, actors.assumer, NAMES.assumeRoleUser, step);
  await getPods(cluster, actors.assumer, 'unauthorized', step);

  const roleCredentials = await assumeCreatorRole(lab, actors.assumer.credentials, step);
  if (roleCredentials === undefined) return;
  const creatorRole: Actor = { name: io.t('demo.actor.creatorRoleSession'), credentials: roleCredentials };
  await whoAmI(lab, creatorRole, NAMES.assumedCreator, step);
  await kubeiamStep(step, io, ['explain', '--arn', NAMES.assumedCreator, '--file', file, '--creator', NAMES.creatorRole], 0, 'demo.expect.explainCreator');
  await getPods(cluster, creatorRole, 'allowed', step);
  await kubeiamStep(step, io, grantArgs(file, NAMES.creatorRole), 0, 'demo.expect.granted');

  step.note('demo.unsetNote');
  await cluster.waitUntilAuthenticated(actors.designated.credentials);
  await getPods(cluster, actors.designated, 'allowed', step);
  await getPods(cluster, actors.assumer, 'unauthorized', step);
}

async function pitfalls(lab: Lab, step: StepPrinter, io: ScenarioIo): Promise<void> {
  io.print(`\n${io.t('demo.part3')}\n`);
  const file = join('demo-role', 'aws-auth.yaml');
  await kubeiamStep(step, io, [
    'grant', 'role', NAMES.creatorRole, '--username', 'admin', '--group', 'system:masters',
    '--file', file, '--creator', NAMES.creatorRole,
  ], 1, 'demo.expect.creatorRefused');
  await kubeiamStep(step, io, [
    'grant', 'role', `arn:aws:iam::${ACCOUNT}:role/teams/platform/deployer`, '--username', 'deployer',
    '--group', 'deployers', '--file', file,
  ], 1, 'demo.expect.pathRefused');
  await kubeiamStep(step, io, ['revoke', 'role', NAMES.nodeRole, '--file', file], 1, 'demo.expect.lockoutRefused');

  const broken = join(lab.dir, 'broken-aws-auth.yaml');
  await fs.writeFile(broken, INITIAL_AWS_AUTH.replace('username: system:node:{{EC2PrivateDNSName}}', 'username: {{SessionName}}'));
  await kubeiamStep(step, io, ['lint', 'broken-aws-auth.yaml'], 3, 'demo.expect.lintBroken');
}

function grantArgs(file: string, creator: string): string[] {
  return [
    'grant', 'user', NAMES.designatedUser, '--username', 'designated_user', '--group', 'system:masters',
    '--file', file, '--creator', creator,
  ];
}

function relativeAwsAuth(lab: Lab, cluster: DemoCluster): string {
  return cluster.awsAuthPath.slice(lab.dir.length + 1);
}

async function whoAmI(lab: Lab, actor: Actor, expected: string, step: StepPrinter): Promise<void> {
  step.command(`aws sts get-caller-identity --query Arn  # ${step.t('demo.as', { actor: actor.name })}`);
  try {
    const identity = await new StsCalls(DEMO_REGION, lab.awsEnv()).getCallerIdentity(actor.credentials);
    step.output(JSON.stringify(identity.arn));
    step.check(identity.arn === expected, 'demo.expect.identity', { arn: expected });
  } catch (error) {
    step.output(error instanceof Error ? error.message : String(error));
    step.check(false, 'demo.expect.identity', { arn: expected });
  }
}

async function assumeCreatorRole(lab: Lab, base: AwsCredentials, step: StepPrinter): Promise<AwsCredentials | undefined> {
  step.command(`aws sts assume-role --role-arn ${NAMES.creatorRole} --role-session-name test`);
  try {
    const credentials = await new StsCalls(DEMO_REGION, lab.awsEnv()).assumeRole(base, { roleArn: NAMES.creatorRole, sessionName: 'test' });
    step.output(step.t('demo.assumedCredentials', { accessKeyId: credentials.accessKeyId, length: credentials.sessionToken?.length ?? 0 }));
    step.check(credentials.sessionToken !== undefined, 'demo.expect.assumed', {});
    step.note('demo.exportNote');
    return credentials;
  } catch (error) {
    step.output(error instanceof Error ? error.message : String(error));
    step.check(false, 'demo.expect.assumed', {});
    return undefined;
  }
}

async function getPods(cluster: DemoCluster, actor: Actor, expected: 'allowed' | 'unauthorized', step: StepPrinter): Promise<void> {
  step.command(`kubectl get pods --namespace default  # ${step.t('demo.as', { actor: actor.name })}`);
  const result: KubectlResult = await cluster.getPods(actor.credentials);
  step.output(foldKlogLines(`${result.stdout}${result.stderr}`.trim(), step.t));
  const output = result.stdout + result.stderr;
  // kubectl 1.32 ends with "(Unauthorized)" or, when discovery failed first, "(the server has asked
  // for the client to provide credentials)"; both are the 401 of an unmapped identity.
  const ok = expected === 'allowed'
    ? result.code === 0 && output.includes('No resources found')
    : result.code !== 0 && output.includes('error: You must be logged in to the server');
  step.check(ok, expected === 'allowed' ? 'demo.expect.allowed' : 'demo.expect.unauthorized', {});
}

async function kubeiamStep(step: StepPrinter, io: ScenarioIo, argv: string[], expectedCode: number, expectation: MessageKey): Promise<void> {
  step.command(`kubeiam ${argv.map(shellWord).join(' ')}`);
  const result = await io.kubeiam(argv);
  step.output(`${result.stdout}${result.stderr}`.trimEnd());
  step.check(result.code === expectedCode, expectation, { code: expectedCode });
}

/** Replaces kubectl's repeated klog discovery errors (`E1204 20:25:42.130210 …`) with one line. */
function foldKlogLines(text: string, t: Translate): string {
  const lines = text.split('\n');
  const klog = lines.filter((line) => /^[EWI]\d{4} \d{2}:\d{2}:\d{2}\.\d+/.test(line));
  if (klog.length < 2) return text;
  const first = klog[0] ?? '';
  const rest = lines.filter((line) => !klog.includes(line));
  return [first, t('demo.similarLines', { count: klog.length - 1 }), ...rest].join('\n');
}

function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Prints numbered steps: the command, its output indented, then ✓ or ✗ with the expectation. */
class StepPrinter {
  #number = 0;

  constructor(private readonly io: ScenarioIo, private readonly report: ScenarioReport) {}

  /** Translates a message for a command comment or an output line. An arrow function, so callers can pass it on. */
  readonly t: Translate = (key, params) => this.io.t(key, params);

  command(text: string): void {
    this.#number += 1;
    this.io.print(`\n${String(this.#number).padStart(2)}. $ ${text}\n`);
  }

  output(text: string): void {
    if (text === '') return;
    this.io.print(`${text.split('\n').map((line) => `      ${line}`).join('\n')}\n`);
  }

  note(key: MessageKey): void {
    this.io.print(`    ${this.io.t(key)}\n`);
  }

  check(ok: boolean, key: MessageKey, params: MessageParams): void {
    if (ok) this.report.passed += 1;
    else this.report.failed += 1;
    this.io.print(`    ${ok ? '✓' : '✗'} ${this.io.t(key, params)}\n`);
  }
}
