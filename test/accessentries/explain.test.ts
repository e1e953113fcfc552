import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEksEndpoint, type EksEndpoint } from '../eks-endpoint/server.js';
import { runCli } from '../support/cli.js';
import { cliEnv } from './support.js';

const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/dev
      username: legacy-dev
      groups:
        - legacy
`;
const ENTRIES = {
  authenticationMode: 'API_AND_CONFIG_MAP',
  entries: [{ principalArn: 'arn:aws:iam::111122223333:role/team/dev', type: 'STANDARD', username: 'dev:{{SessionName}}', kubernetesGroups: ['dev'] }],
};
const CALLER = 'arn:aws:sts::111122223333:assumed-role/dev/alice';

let dir: string;
let endpoint: EksEndpoint;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-explain-'));
  writeFileSync(join(dir, 'aws-auth.yaml'), AWS_AUTH);
  writeFileSync(join(dir, 'entries.json'), JSON.stringify(ENTRIES));
  endpoint = await startEksEndpoint();
  endpoint.addCluster('prod', { account: '111122223333', mode: 'API' });
});
afterAll(() => endpoint.close());

async function explain(extra: string[], env: Record<string, string> = {}) {
  const result = await runCli(['explain', '--arn', CALLER, '--file', 'aws-auth.yaml', ...extra, '-o', 'json'], { cwd: dir, env });
  return { code: result.code, stderr: result.stderr, json: result.stdout === '' ? undefined : JSON.parse(result.stdout) };
}

describe('explain with access entries', () => {
  it.each([
    ['API_AND_CONFIG_MAP', 'dev:alice', 'EKS access entries'],
    ['API', 'dev:alice', 'EKS access entries'],
    ['CONFIG_MAP', 'legacy-dev', 'aws-auth.yaml'],
  ])('mode %s', async (mode, username, source) => {
    const result = await explain(['--access-entries-file', 'entries.json', '--auth-mode', mode]);
    expect(result.code).toBe(0);
    expect(result.json.outcome.user.username).toBe(username);
    expect(result.json.outcome.user.source).toBe(source);
  });

  it('mode comes from the file', async () => {
    const result = await explain(['--access-entries-file', 'entries.json']);
    const reasons = result.json.steps.map((step: { reason: string }) => step.reason);
    expect(reasons).toContain('OUTRANKED');
  });

  it('cluster in API mode ignores aws-auth', async () => {
    const result = await explain(['--cluster', 'prod'], cliEnv(endpoint));
    expect(result.code).toBe(3);
    const reasons = result.json.steps.map((step: { reason: string }) => step.reason);
    expect(reasons).toContain('AUTH_MODE_EXCLUDES');
  });

  it('cluster and file together are refused', async () => {
    const result = await explain(['--cluster', 'prod', '--access-entries-file', 'entries.json'], cliEnv(endpoint));
    expect(result.code).toBe(2);
  });

  it('invalid mode is refused', async () => {
    const result = await explain(['--access-entries-file', 'entries.json', '--auth-mode', 'IAM']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("authentication mode 'IAM' is invalid");
  });
});
