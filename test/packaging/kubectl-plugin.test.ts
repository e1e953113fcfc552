import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * kubectl runs any executable named kubectl-<name> on the PATH as `kubectl <name>` and passes the
 * remaining arguments, so a kubectl-iam link to bin/kubeiam.js makes `kubectl iam` work.
 */

const BIN = fileURLToPath(new URL('../../bin/kubeiam.js', import.meta.url));
const BROKEN_AWS_AUTH = `apiVersion: v1
kind: ConfigMap
metadata:
  name: aws-auth
  namespace: kube-system
data:
  mapRoles: |
    - rolearn: arn:aws:iam::111122223333:role/team/admin
      username: admin
      groups:
        - system:masters
`;

let work = '';
let env: Record<string, string> = {};

function kubectl(args: readonly string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync('kubectl', args, { cwd: work, encoding: 'utf8', env, timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('kubectl iam plugin', () => {
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'kubeiam-plugin-'));
    const plugins = join(work, 'plugins');
    mkdirSync(plugins);
    symlinkSync(BIN, join(plugins, 'kubectl-iam'));
    writeFileSync(join(work, 'aws-auth.yaml'), BROKEN_AWS_AUTH);
    env = { PATH: `${plugins}:${process.env.PATH ?? ''}`, HOME: work, KUBECONFIG: join(work, 'no-kubeconfig') };
  });

  it('kubectl plugin list finds it', () => {
    const result = kubectl(['plugin', 'list']);

    expect(result.stdout).toContain('kubectl-iam');
  });

  it('kubectl iam --help', () => {
    const result = kubectl(['iam', '--help']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: kubeiam');
  });

  it('kubectl iam lint passes arguments', () => {
    const result = kubectl(['iam', 'lint', 'aws-auth.yaml']);

    expect(result.status).toBe(3);
    expect(result.stdout).toContain('[ROLE_ARN_HAS_PATH]');
  });

  it('kubectl iam lint -o json', () => {
    const result = kubectl(['iam', 'lint', 'aws-auth.yaml', '-o', 'json']);
    const report = JSON.parse(result.stdout) as { errors: number; problems: { code: string }[] };

    expect(result.status).toBe(3);
    expect(report.problems.map((problem) => problem.code)).toContain('ROLE_ARN_HAS_PATH');
  });
});
