import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadServerConfig } from '../../src/serverconfig/index.js';
import { parseAwsAuth } from '../../src/awsauth/index.js';

const deploy = (name: string): string => readFileSync(fileURLToPath(new URL(`../../deploy/${name}`, import.meta.url)), 'utf8');

function documents(name: string): Array<Record<string, unknown>> {
  return parseAllDocuments(deploy(name)).map((document) => {
    expect(document.errors).toEqual([]);
    return document.toJS() as Record<string, unknown>;
  });
}

type ConfigMap = { metadata: { name: string }; data: Record<string, string> };

describe('deploy manifests', () => {
  it('daemonset runs serve on control-plane nodes', () => {
    const [daemonset] = documents('daemonset.yaml') as Array<{ kind: string; spec: { template: { spec: Record<string, unknown> } } }>;
    expect(daemonset?.kind).toBe('DaemonSet');
    const pod = daemonset?.spec.template.spec ?? {};
    expect(pod['hostNetwork']).toBe(true);
    expect(pod['nodeSelector']).toEqual({ 'node-role.kubernetes.io/control-plane': '' });
    const [container] = pod['containers'] as Array<{ args: string[] }>;
    expect(container?.args[0]).toBe('serve');
    expect(container?.args).toContain('--config=/etc/kubeiam/config/config.yaml');
  });

  it('config map holds a valid server config', () => {
    const maps = documents('config.yaml') as ConfigMap[];
    const config = maps.find((map) => map.metadata.name === 'kubeiam-config');
    const loaded = loadServerConfig({ file: { path: 'config.yaml', text: config?.data['config.yaml'] ?? '' } });
    expect(loaded.clusterId).toBe('my-cluster');
    expect(loaded.backendModes).toEqual(['MountedFile', 'DynamicFile']);
    expect(loaded.mounted.mapRoles[0]?.username).toBe('system:node:{{EC2PrivateDNSName}}');
  });

  it('aws-auth config map holds a valid aws-auth', () => {
    const maps = documents('config.yaml') as ConfigMap[];
    const awsAuth = maps.find((map) => map.metadata.name === 'kubeiam-aws-auth');
    const parsed = parseAwsAuth(awsAuth?.data['aws-auth.yaml'] ?? '', { sourceName: 'aws-auth.yaml' });
    expect(parsed.valid).toBe(true);
    expect(parsed.users).toHaveLength(1);
  });

  it('apiserver webhook kubeconfig parses', () => {
    const kubeconfig = parse(deploy('apiserver-webhook.yaml')) as { clusters: Array<{ cluster: { server: string } }> };
    expect(kubeconfig.clusters[0]?.cluster.server).toBe('https://localhost:21362/authenticate');
  });
});
