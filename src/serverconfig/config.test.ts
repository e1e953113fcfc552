import { describe, expect, it } from 'vitest';
import { isKubeiamError } from '../errors.js';
import { loadServerConfig, type ServerConfigInput } from './config.js';

const yamlFile = (text: string) => ({ path: 'config.yaml', text });

function failure(input: ServerConfigInput): { code: string; message: string } {
  try {
    loadServerConfig(input);
  } catch (error) {
    if (isKubeiamError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected loadServerConfig to throw');
}

describe('loadServerConfig', () => {
  it('loadServerConfig applies reference defaults', () => {
    const config = loadServerConfig({ flags: { clusterId: 'demo' } });
    expect(config.partition).toBe('aws');
    expect(config.port).toBe(21362);
    expect(config.address).toBe('127.0.0.1');
    expect(config.hostname).toBe('localhost');
    expect(config.backendModes).toEqual(['MountedFile']);
    expect(config.backendModesConfigured).toBe(false);
    expect(config.ec2DescribeInstancesQps).toBe(15);
    expect(config.ec2DescribeInstancesBurst).toBe(5);
  });

  it.each([
    ['flag beats env and file', { clusterId: 'flag' }, { KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID: 'env' }, 'flag'],
    ['env beats file', {}, { KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID: 'env' }, 'env'],
    ['file when nothing else', {}, {}, 'file'],
  ])('cluster ID precedence %s', (_name, flags, env, expected) => {
    const config = loadServerConfig({ file: yamlFile('clusterID: file\n'), flags, env });
    expect(config.clusterId).toBe(expected);
  });

  it('port precedence flag over file', () => {
    const config = loadServerConfig({ file: yamlFile('clusterID: c\nserver:\n  port: 1000\n'), flags: { port: '2000' } });
    expect(config.port).toBe(2000);
  });

  it('keys match case-insensitively', () => {
    const config = loadServerConfig({
      file: yamlFile('CLUSTERid: c\nSERVER:\n  PARTITION: aws-cn\n  BackendMode: [MountedFile]\n  stateDIR: /s\n'),
    });
    expect(config.clusterId).toBe('c');
    expect(config.partition).toBe('aws-cn');
    expect(config.stateDir).toBe('/s');
  });

  it('reads a JSON file', () => {
    const config = loadServerConfig({ file: { path: 'c.json', text: '{"clusterID":"j","server":{"port":"8443"}}' } });
    expect(config.clusterId).toBe('j');
    expect(config.port).toBe(8443);
  });

  it('missing cluster ID fails', () => {
    const result = failure({ file: yamlFile('server:\n  port: 1\n') });
    expect(result.code).toBe('CLUSTER_ID_MISSING');
    expect(result.message).toContain('cluster ID cannot be empty');
  });

  it('unknown partition fails', () => {
    const result = failure({ flags: { clusterId: 'c', partition: 'aws-nk' } });
    expect(result.code).toBe('PARTITION_INVALID');
    expect(result.message).toContain('invalid partition "aws-nk"');
  });

  it.each([
    ['list', '[ "MountedFile", "DynamicFile" ]', ['MountedFile', 'DynamicFile']],
    ['whitespace string', '"MountedFile   DynamicFile"', ['MountedFile', 'DynamicFile']],
  ])('backend mode from file %s', (_name, value, expected) => {
    const config = loadServerConfig({ file: yamlFile(`clusterID: c\nserver:\n  backendMode: ${value}\n  dynamicfilepath: /x.json\n`) });
    expect(config.backendModes).toEqual(expected);
  });

  it('backend mode flag is a comma list', () => {
    const config = loadServerConfig({ flags: { clusterId: 'c', backendMode: 'File,ConfigMap' } });
    expect(config.backendModes).toEqual(['MountedFile', 'EKSConfigMap']);
    expect(config.warnings).toEqual([
      'warning: backend-mode "File" is deprecated, use "MountedFile" instead',
      'warning: backend-mode "ConfigMap" is deprecated, use "EKSConfigMap" instead',
    ]);
  });

  it('DynamicFile without dynamicfilepath fails', () => {
    const result = failure({ flags: { clusterId: 'c', backendMode: 'DynamicFile' } });
    expect(result.code).toBe('DYNAMIC_FILE_COUPLING');
    expect(result.message).toContain('dynamicfile is set in backend-mode but dynamicfilepath is not set');
  });

  it('dynamicfilepath without DynamicFile fails', () => {
    const result = failure({ file: yamlFile('clusterID: c\nserver:\n  dynamicfilepath: /x.json\n') });
    expect(result.code).toBe('DYNAMIC_FILE_COUPLING');
    expect(result.message).toContain('dynamicfile is not set in backend-mode but dynamicfilepath is set');
  });

  it('mapRoles decode with mapstructure rules', () => {
    const config = loadServerConfig({
      file: yamlFile(`clusterID: c
server:
  mapRoles:
  - ROLEARN: arn:aws:iam::000000000000:role/KubernetesAdmin
    UserName: admin
    groups: system:masters,devs
  mapUsers:
  - userARN: arn:aws:iam::000000000000:user/Alice
    username: 12
    groups:
    - g
  mapAccounts:
  - "012345678901"
  - 555555555555
`),
    });
    expect(config.mounted.mapRoles[0]).toMatchObject({ rolearn: 'arn:aws:iam::000000000000:role/KubernetesAdmin', username: 'admin', groups: ['system:masters', 'devs'] });
    expect(config.mounted.mapUsers[0]).toMatchObject({ userarn: 'arn:aws:iam::000000000000:user/Alice', username: '12', groups: ['g'] });
    expect(config.mounted.mapAccounts).toEqual(['012345678901', '555555555555']);
  });

  it('unquoted account ID loses its leading zero', () => {
    const config = loadServerConfig({ file: yamlFile('clusterID: c\nserver:\n  mapAccounts:\n  - 012345678901\n') });
    expect(config.mounted.mapAccounts).toEqual(['12345678901']);
  });

  it('single mapAccounts string splits on commas', () => {
    const config = loadServerConfig({ file: yamlFile('clusterID: c\nserver:\n  mapAccounts: "111,222"\n') });
    expect(config.mounted.mapAccounts).toEqual(['111', '222']);
  });

  it('mapRoles entry of wrong type fails with its path', () => {
    const result = failure({ file: yamlFile('clusterID: c\nserver:\n  mapRoles:\n  - rolearn: [a]\n') });
    expect(result.code).toBe('CONFIG_VALUE_INVALID');
    expect(result.message).toContain('server.mapRoles[0].rolearn');
  });

  it('reservedPrefixConfig keyed by backend', () => {
    const config = loadServerConfig({
      file: yamlFile(`clusterID: c
server:
  reservedPrefixConfig:
  - backendmode: DynamicFile
    usernamePrefixReserveList: ["aws:", "system:"]
`),
    });
    expect(config.reservedPrefixes).toEqual({ DynamicFile: ['aws:', 'system:'] });
  });

  it('ec2 role ARN must be an ARN', () => {
    const result = failure({ file: yamlFile('clusterID: c\nserver:\n  ec2DescribeInstancesRoleARN: not-an-arn\n') });
    expect(result.message).toContain('server.ec2DescribeInstancesRoleARN "not-an-arn" is not a valid ARN');
  });

  it('burst below one with qps fails', () => {
    const result = failure({ flags: { clusterId: 'c', ec2DescribeInstancesBurst: '0' } });
    expect(result.message).toContain('server.ec2DescribeInstancesBurst must be at least 1');
  });

  it.each([
    ['negative', '-1'],
    ['too large', '70000'],
    ['not a number', 'abc'],
  ])('port %s fails', (_name, port) => {
    expect(failure({ flags: { clusterId: 'c', port } }).code).toBe('CONFIG_VALUE_INVALID');
  });

  it('YAML syntax error names the file', () => {
    const result = failure({ file: yamlFile('clusterID: [\n') });
    expect(result.code).toBe('CONFIG_FILE_INVALID');
    expect(result.message).toContain('config.yaml');
  });

  it('kubeconfigPregenerated takes Go booleans', () => {
    const config = loadServerConfig({ file: yamlFile('clusterID: c\nserver:\n  kubeconfigPregenerated: "True"\n') });
    expect(config.kubeconfigPregenerated).toBe(true);
  });
});
