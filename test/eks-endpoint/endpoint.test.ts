import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateAccessEntryCommand, EKSClient, UpdateClusterConfigCommand } from '@aws-sdk/client-eks';
import { EksCallError } from '../../src/accessentries/errors.js';
import { clientFor, FAKE_CREDENTIALS } from '../accessentries/support.js';
import { startEksEndpoint, type EksEndpoint } from './server.js';

const ROLE = 'arn:aws:iam::111122223333:role/team/dev';
let endpoint: EksEndpoint;

beforeAll(async () => {
  endpoint = await startEksEndpoint({ pageSize: 2 });
  endpoint.addCluster('prod');
  endpoint.addCluster('legacy', { mode: 'CONFIG_MAP' });
});
afterAll(() => endpoint.close());

async function awsCode(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (error) {
    if (error instanceof EksCallError) return error.awsCode;
    throw error;
  }
  return 'no error';
}

describe('eks endpoint', () => {
  it('entry round trip through the SDK', async () => {
    const client = clientFor(endpoint, 'prod');
    const created = await client.createEntry({ principalArn: ROLE, kubernetesGroups: ['dev'] });
    expect(created.username).toBe('arn:aws:sts::111122223333:assumed-role/dev/{{SessionName}}');
    expect(created.createdAt).toBeInstanceOf(Date);
    const read = await client.describeEntry(ROLE);
    expect(read.kubernetesGroups).toEqual(['dev']);
    const updated = await client.updateEntry({ principalArn: ROLE, username: 'dev:{{SessionName}}', kubernetesGroups: ['dev', 'ops'] });
    expect(updated.username).toBe('dev:{{SessionName}}');
    expect(updated.kubernetesGroups).toEqual(['dev', 'ops']);
    await client.deleteEntry(ROLE);
    expect(await client.findEntry(ROLE)).toBeUndefined();
  });

  it('list follows nextToken', async () => {
    const client = clientFor(endpoint, 'prod');
    const arns = ['a', 'b', 'c', 'd', 'e'].map((name) => `arn:aws:iam::111122223333:user/${name}`);
    for (const arn of arns) await client.createEntry({ principalArn: arn });
    expect(await client.listEntries()).toEqual(arns);
    for (const arn of arns) await client.deleteEntry(arn);
  });

  it('duplicate principal is ResourceInUseException', async () => {
    const client = clientFor(endpoint, 'prod');
    await client.createEntry({ principalArn: ROLE });
    expect(await awsCode(client.createEntry({ principalArn: ROLE }))).toBe('ResourceInUseException');
    await client.deleteEntry(ROLE);
  });

  it('missing entry is ResourceNotFoundException', async () => {
    expect(await awsCode(clientFor(endpoint, 'prod').describeEntry(ROLE))).toBe('ResourceNotFoundException');
  });

  it('missing cluster is ResourceNotFoundException', async () => {
    expect(await awsCode(clientFor(endpoint, 'nope').describeCluster())).toBe('ResourceNotFoundException');
  });

  it('CONFIG_MAP cluster is InvalidRequestException', async () => {
    expect(await awsCode(clientFor(endpoint, 'legacy').listEntries())).toBe('InvalidRequestException');
  });

  it('policy association round trip', async () => {
    const client = clientFor(endpoint, 'prod');
    await client.createEntry({ principalArn: ROLE });
    await client.associatePolicy({ principalArn: ROLE, policy: 'AmazonEKSViewPolicy', scope: 'namespace', namespaces: ['dev-*'] });
    await client.associatePolicy({ principalArn: ROLE, policy: 'AmazonEKSViewPolicy', scope: 'cluster', namespaces: [] });
    const policies = await client.listAssociatedPolicies(ROLE);
    expect(policies.map((item) => item.accessScope)).toEqual([{ type: 'cluster', namespaces: [] }]);
    expect(await client.listEntries('arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy')).toEqual([ROLE]);
    await client.disassociatePolicy(ROLE, 'AmazonEKSViewPolicy');
    expect(await client.listAssociatedPolicies(ROLE)).toEqual([]);
    await client.deleteEntry(ROLE);
  });

  it('ListAccessPolicies pages through the live list', async () => {
    const names = (await clientFor(endpoint, 'prod').listAccessPolicies()).map((policy) => policy.name);
    expect(names).toContain('AmazonEKSClusterAdminPolicy');
    expect(names.length).toBe(7);
  });
});

describe('eks endpoint server-side rules', () => {
  const raw = async (send: (client: EKSClient) => Promise<unknown>): Promise<string> => {
    const client = new EKSClient({ region: 'eu-west-1', endpoint: endpoint.url, credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
    try {
      await send(client);
      return 'no error';
    } catch (error) {
      return (error as Error).name;
    }
  };

  it.each([
    ['reserved username', { principalArn: ROLE, username: 'system:admin' }],
    ['SessionName without colon', { principalArn: ROLE, username: '{{SessionName}}' }],
    ['STS session ARN', { principalArn: 'arn:aws:sts::111122223333:assumed-role/dev/x' }],
    ['service-linked role', { principalArn: 'arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX' }],
    ['node type with groups', { principalArn: ROLE, type: 'EC2_LINUX', kubernetesGroups: ['dev'] }],
    ['node type of other account', { principalArn: 'arn:aws:iam::444455556666:role/n', type: 'EC2_LINUX' }],
  ])('%s is InvalidParameterException', async (_name, input) => {
    expect(await raw((client) => client.send(new CreateAccessEntryCommand({ clusterName: 'prod', ...input })))).toBe('InvalidParameterException');
  });

  it('mode backwards is InvalidParameterException', async () => {
    const command = new UpdateClusterConfigCommand({ name: 'prod', accessConfig: { authenticationMode: 'CONFIG_MAP' } });
    expect(await raw((client) => client.send(command))).toBe('InvalidParameterException');
  });

  it('second update in progress is ResourceInUseException', async () => {
    endpoint.addCluster('busy', { mode: 'CONFIG_MAP' });
    const first = new UpdateClusterConfigCommand({ name: 'busy', accessConfig: { authenticationMode: 'API_AND_CONFIG_MAP' } });
    expect(await raw((client) => client.send(first))).toBe('no error');
    const second = new UpdateClusterConfigCommand({ name: 'busy', accessConfig: { authenticationMode: 'API' } });
    expect(await raw((client) => client.send(second))).toBe('ResourceInUseException');
  });

  it('node entry gets EKS defaults', async () => {
    const client = clientFor(endpoint, 'prod');
    const entry = await client.createEntry({ principalArn: 'arn:aws:iam::111122223333:role/nodes', type: 'EC2_LINUX' });
    expect(entry.username).toBe('system:node:{{EC2PrivateDNSName}}');
    expect(entry.kubernetesGroups).toEqual(['system:nodes']);
    await client.deleteEntry(entry.principalArn);
  });
});
