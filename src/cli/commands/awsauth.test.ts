import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../test/support/cli.js';

const USER = 'arn:aws:iam::111122223333:user/designated_user';
const NODE_ROLE = 'arn:aws:iam::111122223333:role/nodes';
const AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    # nodes join through this entry
    - rolearn: ${NODE_ROLE}
      username: system:node:{{EC2PrivateDNSName}}
      groups:
        - system:bootstrappers
        - system:nodes
`;

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-awsauth-cli-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function grantArgs(file: string, extra: string[] = []): string[] {
  return ['grant', 'user', USER, '--username', 'designated_user', '--group', 'system:masters', '--file', file, ...extra];
}

describe('grant on a file', () => {
  it('rejects an empty file without --create', async () => {
    writeFileSync(join(dir, 'aws-auth.yaml'), '');
    const result = await runCli(grantArgs('aws-auth.yaml'), { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('maps nobody');
    expect(readFileSync(join(dir, 'aws-auth.yaml'), 'utf8')).toBe('');
  });

  it('rejects a ConfigMap without data', async () => {
    writeFileSync(join(dir, 'aws-auth.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n');
    const result = await runCli(grantArgs('aws-auth.yaml'), { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--create');
  });

  it('starts an empty file with --create', async () => {
    writeFileSync(join(dir, 'aws-auth.yaml'), '');
    const result = await runCli(grantArgs('aws-auth.yaml', ['--create']), { cwd: dir });
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'aws-auth.yaml'), 'utf8')).toContain(USER);
  });

  it('warns when no group is given', async () => {
    writeFileSync(join(dir, 'aws-auth.yaml'), AWS_AUTH);
    const result = await runCli(['grant', 'user', USER, '--username', 'designated_user', '--file', 'aws-auth.yaml'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('403 Forbidden');
  });

  it('keeps a repeated group once', async () => {
    writeFileSync(join(dir, 'aws-auth.yaml'), AWS_AUTH);
    await runCli(grantArgs('aws-auth.yaml', ['--group', 'system:masters']), { cwd: dir });
    expect(readFileSync(join(dir, 'aws-auth.yaml'), 'utf8').match(/- system:masters/g)).toHaveLength(1);
  });

  it('keeps comments and writes a backup', async () => {
    writeFileSync(join(dir, 'aws-auth.yaml'), AWS_AUTH);
    await runCli(grantArgs('aws-auth.yaml'), { cwd: dir });
    expect(readFileSync(join(dir, 'aws-auth.yaml'), 'utf8')).toContain('# nodes join through this entry');
    expect(readdirSync(dir).filter((name) => name.startsWith('aws-auth.yaml.bak-'))).toHaveLength(1);
  });

  it('rejects the creator given with a role path', async () => {
    writeFileSync(join(dir, 'aws-auth.yaml'), AWS_AUTH);
    const result = await runCli(
      ['grant', 'role', 'arn:aws:iam::111122223333:role/cluster_creator', '--username', 'admin', '--group', 'system:masters',
        '--file', 'aws-auth.yaml', '--creator', 'arn:aws:iam::111122223333:role/eks/cluster_creator'],
      { cwd: dir },
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cluster creator');
  });
});

describe('grant on stdin', () => {
  it('prints a diff, not the document, on a dry run', async () => {
    const result = await runCli(grantArgs('-', ['--dry-run']), { stdin: AWS_AUTH, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`+    - userarn: ${USER}`);
    expect(result.stdout).not.toContain('apiVersion: v1\nkind: ConfigMap');
  });

  it('prints the edited document otherwise', async () => {
    const result = await runCli(grantArgs('-'), { stdin: AWS_AUTH, cwd: dir });
    expect(result.stdout).toContain('kind: ConfigMap');
    expect(result.stdout).toContain(USER);
  });
});

describe('read errors', () => {
  it('reports a directory without a stack trace', async () => {
    mkdirSync(join(dir, 'folder'));
    const result = await runCli(['lint', 'folder'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('EISDIR');
    expect(result.stderr).not.toContain('    at ');
  });

});

describe('explain on stdin', () => {
  it('reads aws-auth from -', async () => {
    const withUser = `${AWS_AUTH}  mapUsers: |\n    - userarn: ${USER}\n      username: designated_user\n      groups:\n        - viewers\n`;
    const result = await runCli(['explain', '--arn', USER, '--file', '-'], { stdin: withUser, cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('viewers');
  });
});

describe('grant without --group', () => {
  it('warns after a valid grant', async () => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, AWS_AUTH);
    const result = await runCli(['grant', 'user', USER, '--username', 'designated_user', '--file', file]);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('RBAC allows it nothing (403 Forbidden)');
    expect(readFileSync(file, 'utf8')).toContain(`userarn: ${USER}`);
  });

  it('reports only the error for an invalid ARN', async () => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, AWS_AUTH);
    const result = await runCli(['grant', 'user', 'notanarn', '--username', 'x', '--file', file]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error: 'notanarn' is not a valid IAM principal ARN/);
    expect(result.stderr).not.toContain('RBAC');
    expect(readFileSync(file, 'utf8')).toBe(AWS_AUTH);
  });
});

describe('grant over 1 MiB', () => {
  /** Builds aws-auth with enough users to pass the 1 MiB ConfigMap limit. */
  function bigAwsAuth(): string {
    const users = Array.from({ length: 12_000 }, (_, index) => `    - userarn: arn:aws:iam::111122223333:user/user-${index}\n      username: user-${index}\n      groups:\n        - developers\n`);
    return `${AWS_AUTH}  mapUsers: |\n${users.join('')}`;
  }

  it.each([
    ['en', 'kubeiam migrate plan', 'map roles through groups or SSO patterns'],
    ['zh-CN', 'kubeiam migrate plan', '通过组或 SSO 模式映射角色'],
  ])('warns with the fix in %s', async (lang, command, fix) => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, bigAwsAuth());
    const result = await runCli(['--lang', lang, ...grantArgs(file)]);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('1048576');
    expect(result.stderr).toContain(fix);
    expect(result.stderr).toContain(command);
  });
});

describe('list on a file', () => {
  it('lists a valid file', async () => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, AWS_AUTH);
    const result = await runCli(['list', '--file', file, '-o', 'json']);

    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveLength(1);
  });

  it.each([
    ['a YAML syntax error', 'garbage: [\n', 'failed to parse at line'],
    ['another kind', 'apiVersion: v1\nkind: Secret\n', "kind is 'Secret', expected ConfigMap"],
  ])('fails on %s', async (_case, text, message) => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, text);
    const result = await runCli(['list', '--file', file, '-o', 'json']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('lists the loaded keys next to a broken one', async () => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, `${AWS_AUTH}    - rolearn: arn:aws:iam::111122223333:role/x\n      username: {{SessionName}}\n`);
    const result = await runCli(['list', '--file', file]);

    expect(result.code).toBe(0);
    expect(result.stderr).toContain('mapRoles failed to parse');
  });
});

describe('apply and restore without a cluster', () => {
  it.each([
    ['apply', (file: string) => ['apply', '--file', file]],
    ['restore', (file: string) => ['restore', file]],
  ])('%s names no --file mode', async (_command, args) => {
    const file = join(dir, 'aws-auth.yaml');
    writeFileSync(file, AWS_AUTH);
    const result = await runCli(args(file), { env: { HOME: join(dir, 'nowhere') }, cwd: dir });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no cluster to write aws-auth to: no kubeconfig found');
    expect(result.stderr).not.toContain('--file');
  });

  it('revoke still offers --file', async () => {
    const result = await runCli(['revoke', 'user', USER], { env: { HOME: join(dir, 'nowhere') }, cwd: dir });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Pass --file PATH to work on a file instead');
  });
});
