import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isKubeiamError } from '../errors.js';
import { mergeKubeconfig, type KubeconfigEntry } from './kubeconfig.js';

const ARN = 'arn:aws:eks:eu-west-1:111122223333:cluster/prod';
const ENTRY: KubeconfigEntry = {
  clusterArn: ARN,
  clusterName: 'prod',
  region: 'eu-west-1',
  server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
  certificateAuthorityData: 'Q0EgZGF0YQ==',
};

const EXISTING = `# my clusters
apiVersion: v1
kind: Config
preferences: {}
clusters:
- name: kind-dev # local
  cluster:
    server: https://127.0.0.1:6443
    certificate-authority-data: S0lORA==
users:
- name: kind-dev
  user:
    client-certificate-data: Y2VydA==
contexts:
- name: kind-dev
  context:
    cluster: kind-dev
    user: kind-dev
    namespace: apps
current-context: kind-dev
x-custom: keep me
`;

interface Named {
  name: string;
  [key: string]: unknown;
}

function sections(text: string): { clusters: Named[]; users: Named[]; contexts: Named[]; current: unknown; raw: Record<string, unknown> } {
  const raw = parse(text) as Record<string, unknown>;
  return {
    clusters: raw.clusters as Named[],
    users: raw.users as Named[],
    contexts: raw.contexts as Named[],
    current: raw['current-context'],
    raw,
  };
}

describe('mergeKubeconfig', () => {
  it('mergeKubeconfig new file', () => {
    const result = mergeKubeconfig(undefined, ENTRY, 'config');
    const config = sections(result.text);
    expect(config.raw.apiVersion).toBe('v1');
    expect(config.clusters).toEqual([{ name: ARN, cluster: { server: ENTRY.server, 'certificate-authority-data': ENTRY.certificateAuthorityData } }]);
    expect(config.contexts).toEqual([{ name: ARN, context: { cluster: ARN, user: ARN } }]);
    expect(config.current).toBe(ARN);
    expect(result.updated).toEqual([]);
  });

  it('mergeKubeconfig exec entry', () => {
    const config = sections(mergeKubeconfig(undefined, ENTRY, 'config').text);
    expect(config.users[0]).toEqual({
      name: ARN,
      user: {
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'kubeiam',
          args: ['token', '--cluster-name', 'prod', '--region', 'eu-west-1'],
          interactiveMode: 'Never',
          provideClusterInfo: false,
        },
      },
    });
  });

  it('mergeKubeconfig role and profile', () => {
    const config = sections(mergeKubeconfig(undefined, { ...ENTRY, roleArn: 'arn:aws:iam::111122223333:role/admin', profile: 'ops' }, 'config').text);
    const exec = (config.users[0]?.user as { exec: { args: string[]; env: unknown } }).exec;
    expect(exec.args).toEqual(['token', '--cluster-name', 'prod', '--region', 'eu-west-1', '--role-arn', 'arn:aws:iam::111122223333:role/admin']);
    expect(exec.env).toEqual([{ name: 'AWS_PROFILE', value: 'ops' }]);
  });

  it('mergeKubeconfig alias names the context', () => {
    const result = mergeKubeconfig(undefined, { ...ENTRY, alias: 'prod' }, 'config');
    const config = sections(result.text);
    expect(config.contexts[0]?.name).toBe('prod');
    expect(config.current).toBe('prod');
    expect(config.users[0]?.name).toBe(ARN);
  });

  it('mergeKubeconfig keeps other entries', () => {
    const config = sections(mergeKubeconfig(EXISTING, ENTRY, 'config').text);
    expect(config.clusters.map((c) => c.name)).toEqual(['kind-dev', ARN]);
    expect(config.users.map((u) => u.name)).toEqual(['kind-dev', ARN]);
    expect(config.contexts[0]).toEqual({ name: 'kind-dev', context: { cluster: 'kind-dev', user: 'kind-dev', namespace: 'apps' } });
    expect(config.raw['x-custom']).toBe('keep me');
    expect(config.current).toBe(ARN);
  });

  it('mergeKubeconfig keeps comments', () => {
    const text = mergeKubeconfig(EXISTING, ENTRY, 'config').text;
    expect(text).toContain('# my clusters');
    expect(text).toContain('# local');
  });

  it('mergeKubeconfig updates in place', () => {
    const first = mergeKubeconfig(EXISTING, ENTRY, 'config').text;
    const edited = first.replace(`server: ${ENTRY.server}`, `server: https://old.example\n    proxy-url: http://127.0.0.1:3128\n    certificate-authority: /tmp/ca.pem`);
    const second = mergeKubeconfig(edited, { ...ENTRY, roleArn: 'arn:aws:iam::111122223333:role/admin' }, 'config');
    const config = sections(second.text);
    const cluster = config.clusters.find((c) => c.name === ARN)?.cluster as Record<string, unknown>;
    expect(config.clusters).toHaveLength(2);
    expect(cluster.server).toBe(ENTRY.server);
    expect(cluster['proxy-url']).toBe('http://127.0.0.1:3128');
    expect(cluster['certificate-authority']).toBeUndefined();
    expect(second.updated).toEqual(['cluster', 'user', 'context']);
  });

  it('mergeKubeconfig replaces the user', () => {
    const withToken = mergeKubeconfig(EXISTING, ENTRY, 'config').text.replace('    exec:', '    token: stale\n    exec:');
    const config = sections(mergeKubeconfig(withToken, ENTRY, 'config').text);
    const user = config.users.find((u) => u.name === ARN)?.user as Record<string, unknown>;
    expect(user.token).toBeUndefined();
    expect(user.exec).toBeDefined();
  });

  it.each([
    ['empty file', ''],
    ['null sections', 'apiVersion: v1\nkind: Config\nclusters:\nusers: null\n'],
  ])('mergeKubeconfig accepts %s', (_name, text) => {
    const config = sections(mergeKubeconfig(text, ENTRY, 'config').text);
    expect(config.clusters).toHaveLength(1);
    expect(config.users).toHaveLength(1);
  });

  it.each([
    ['invalid YAML', 'clusters: [\n'],
    ['scalar document', 'just text\n'],
    ['clusters not a list', 'clusters: {a: 1}\n'],
    ['cluster body not a map', `clusters:\n- name: ${ARN}\n  cluster: text\n`],
  ])('mergeKubeconfig rejects %s', (_name, text) => {
    let error: unknown;
    try {
      mergeKubeconfig(text, ENTRY, '/home/u/.kube/config');
    } catch (caught) {
      error = caught;
    }
    expect(isKubeiamError(error, 'KUBECONFIG_INVALID')).toBe(true);
    expect((error as Error).message).toContain('/home/u/.kube/config');
  });
});
