import { CreateClusterCommand, EKSClient } from '@aws-sdk/client-eks';
import { CreateRoleCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeCluster } from '../../src/aws/eks.js';
import { lookupPrincipal } from '../../src/aws/iam.js';
import type { AwsTarget } from '../../src/aws/config.js';
import { isKubeiamError } from '../../src/errors.js';
import { createAwsTestEnv, FAKE_KEYS, type AwsTestEnv } from './env.js';
import { startMoto, type Moto } from './moto.js';

/** moto's default account. */
const MOTO_ACCOUNT = '123456789012';
const credentials = { accessKeyId: FAKE_KEYS.AWS_ACCESS_KEY_ID, secretAccessKey: FAKE_KEYS.AWS_SECRET_ACCESS_KEY };

let moto: Moto;
let awsEnv: AwsTestEnv;
let target: AwsTarget;

beforeAll(async () => {
  awsEnv = createAwsTestEnv();
  moto = await startMoto();
  target = { region: 'eu-west-1', credentials, env: { AWS_ENDPOINT_URL: moto.url } };

  const eks = new EKSClient({ region: 'eu-west-1', endpoint: moto.url, credentials });
  await eks.send(new CreateClusterCommand({ name: 'prod', roleArn: `arn:aws:iam::${MOTO_ACCOUNT}:role/eks`, resourcesVpcConfig: { subnetIds: [] } }));
  const iam = new IAMClient({ region: 'us-east-1', endpoint: moto.url, credentials });
  await iam.send(new CreateRoleCommand({ RoleName: 'admin', Path: '/platform/team/', AssumeRolePolicyDocument: '{}' }));
  await iam.send(new CreateRoleCommand({ RoleName: 'deployer', AssumeRolePolicyDocument: '{}' }));
  await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/people/' }));
  await iam.send(new CreateUserCommand({ UserName: 'bob' }));
});

afterAll(async () => {
  await moto?.close();
  awsEnv?.cleanup();
});

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('describeCluster', () => {
  it('describeCluster moto cluster', async () => {
    const cluster = await describeCluster(target, 'prod');
    expect(cluster.arn).toBe(`arn:aws:eks:eu-west-1:${MOTO_ACCOUNT}:cluster/prod`);
    expect(cluster.endpoint).toMatch(/^https:\/\//);
    expect(cluster.certificateAuthorityData).not.toBe('');
  });

  it('describeCluster unknown name', async () => {
    const error = await errorOf(describeCluster(target, 'missing'));
    expect(isKubeiamError(error, 'EKS_CLUSTER_NOT_FOUND')).toBe(true);
    expect((error as Error).message).toContain('missing');
  });

  it('describeCluster service endpoint variable', async () => {
    const cluster = await describeCluster({ ...target, env: { AWS_ENDPOINT_URL_EKS: moto.url } }, 'prod');
    expect(cluster.name).toBe('prod');
  });

  it('describeCluster endpoint override wins', async () => {
    const cluster = await describeCluster({ ...target, env: { AWS_ENDPOINT_URL_EKS: 'http://127.0.0.1:9' }, endpointUrl: moto.url }, 'prod');
    expect(cluster.name).toBe('prod');
  });
});

describe('lookupPrincipal', () => {
  const role = (path: string, name: string): string => `arn:aws:iam::${MOTO_ACCOUNT}:role${path}${name}`;
  const user = (path: string, name: string): string => `arn:aws:iam::${MOTO_ACCOUNT}:user${path}${name}`;

  it.each([
    ['role with path, given without', role('/', 'admin'), 'exists', role('/platform/team/', 'admin'), role('/', 'admin'), ['ROLE_PATH_DROPPED']],
    ['role with path, given with', role('/platform/team/', 'admin'), 'exists', role('/platform/team/', 'admin'), role('/', 'admin'), ['ROLE_PATH_DROPPED']],
    ['role with wrong path', role('/other/', 'admin'), 'exists', role('/platform/team/', 'admin'), role('/', 'admin'), ['ROLE_PATH_DROPPED', 'ARN_PATH_DIFFERS']],
    ['role without path', role('/', 'deployer'), 'exists', role('/', 'deployer'), role('/', 'deployer'), []],
    ['assumed role', `arn:aws:sts::${MOTO_ACCOUNT}:assumed-role/admin/s1`, 'exists', role('/platform/team/', 'admin'), role('/', 'admin'), ['ASSUMED_ROLE_ARN', 'ROLE_PATH_DROPPED']],
    ['user with path', user('/people/', 'alice'), 'exists', user('/people/', 'alice'), user('/people/', 'alice'), []],
    ['user path missing', user('/', 'alice'), 'exists', user('/people/', 'alice'), user('/people/', 'alice'), ['ARN_PATH_DIFFERS']],
    ['user without path', user('/', 'bob'), 'exists', user('/', 'bob'), user('/', 'bob'), []],
    ['missing role', role('/', 'ghost'), 'missing', undefined, role('/', 'ghost'), []],
    ['missing user', user('/', 'ghost'), 'missing', undefined, user('/', 'ghost'), []],
  ])('lookupPrincipal %s', async (_name, arn, status, realArn, awsAuthArn, codes) => {
    const result = await lookupPrincipal(target, arn);
    expect(result.status).toBe(status);
    expect(result.realArn).toBe(realArn);
    expect(result.awsAuthArn).toBe(awsAuthArn);
    expect(result.warnings.map((warning) => warning.code)).toEqual(codes);
  });

  it('lookupPrincipal role unique ID', async () => {
    const result = await lookupPrincipal(target, role('/', 'admin'));
    expect(result.uniqueId).toMatch(/^AROA/);
  });

  it('lookupPrincipal path warning names both ARNs', async () => {
    const result = await lookupPrincipal(target, role('/', 'admin'));
    expect(result.warnings[0]?.message).toContain(role('/platform/team/', 'admin'));
    expect(result.warnings[0]?.message).toContain(`must name it ${role('/', 'admin')}`);
  });

  it.each([
    ['root', `arn:aws:iam::${MOTO_ACCOUNT}:root`, 'NOT_CHECKABLE'],
    ['federated user', `arn:aws:sts::${MOTO_ACCOUNT}:federated-user/bob`, 'NOT_CHECKABLE'],
    ['other account, same name', 'arn:aws:iam::999988887777:role/deployer', 'OTHER_ACCOUNT'],
  ])('lookupPrincipal unchecked %s', async (_name, arn, code) => {
    const result = await lookupPrincipal(target, arn);
    expect(result.status).toBe('unchecked');
    expect(result.warnings.map((warning) => warning.code)).toEqual([code]);
  });

  it('lookupPrincipal caller account skips IAM', async () => {
    const result = await lookupPrincipal({ ...target, endpointUrl: 'http://127.0.0.1:9' }, 'arn:aws:iam::999988887777:role/x', { callerAccount: MOTO_ACCOUNT });
    expect(result.status).toBe('unchecked');
  });

  it('lookupPrincipal invalid ARN', async () => {
    const error = await errorOf(lookupPrincipal(target, 'arn:aws:iam::1:group/admins'));
    expect(isKubeiamError(error)).toBe(true);
  });

  it('lookupPrincipal IAM unreachable', async () => {
    const error = await errorOf(lookupPrincipal({ ...target, endpointUrl: 'http://127.0.0.1:9', maxAttempts: 1 }, role('/', 'admin')));
    expect(isKubeiamError(error, 'AWS_CALL_FAILED')).toBe(true);
  });
});
