import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Argument, Command } from 'commander';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.js';
import { bashCompletion } from './completion.js';

let script = '';

/** Runs the completion function non-interactively for `words`, the last one being completed. */
function complete(words: readonly string[], file = script): string[] {
  const quoted = words.map((word) => `'${word}'`).join(' ');
  const program = `source '${file}'; COMP_WORDS=(${quoted}); COMP_CWORD=${words.length - 1}; _kubeiam; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`bash failed: ${result.stderr}`);
  return result.stdout.split('\n').filter((line) => line !== '');
}

describe('completion bash', () => {
  beforeAll(async () => {
    const result = await runCli(['completion', 'bash']);
    expect(result.code).toBe(0);
    script = join(mkdtempSync(join(tmpdir(), 'kubeiam-completion-')), 'kubeiam.bash');
    writeFileSync(script, result.stdout);
  });

  it('parses with bash -n', () => {
    const result = spawnSync('bash', ['-n', script], { encoding: 'utf8' });

    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it.each([
    [['kubeiam', 'gr'], ['grant']],
    [['kubeiam', 'comp'], ['completion']],
    [['kubeiam', 'list', '-o', ''], ['table', 'json', 'yaml']],
    [['kubeiam', 'explain', '--output', 'y'], ['yaml']],
    [['kubeiam', '--lang', 'zh', 'gr'], ['grant']],
    [['kubeiam', 'completion', ''], ['bash', 'zsh']],
    [['kubeiam', 'lint', '--cr'], ['--creator']],
  ])('completes %j', (words, expected) => {
    expect(complete(words)).toEqual(expected);
  });

  it('completes file names after --file', () => {
    const dir = join(script, '..');

    expect(complete(['kubeiam', 'list', '--file', `${dir}/kube`])).toEqual([script]);
  });

  it('registers kubectl-iam too', () => {
    const result = spawnSync('bash', ['--norc', '-c', `source '${script}'; complete -p kubectl-iam`], { encoding: 'utf8' });

    expect(result.stdout).toContain('-F _kubeiam kubectl-iam');
  });
});

describe('completion zsh', () => {
  it('loads the bash function through bashcompinit', async () => {
    const result = await runCli(['completion', 'zsh']);

    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('#compdef kubeiam kubectl-iam\n')).toBe(true);
    expect(result.stdout).toContain('bashcompinit');
  });

  it('rejects an unknown shell', async () => {
    const result = await runCli(['completion', 'fish']);

    expect(result.code).toBe(2);
  });
});

describe('completion of argument choices', () => {
  it('completes a kind argument after its option values', () => {
    const program = new Command('kubeiam');
    program.command('grant').addArgument(new Argument('<kind>').choices(['user', 'role', 'account'])).argument('<arn>').option('-f, --file <path>');
    const file = join(mkdtempSync(join(tmpdir(), 'kubeiam-completion-')), 'choices.bash');
    writeFileSync(file, bashCompletion(program));

    expect(complete(['kubeiam', 'grant', '--file', 'a.yaml', 'r'], file)).toEqual(['role']);
    expect(complete(['kubeiam', 'grant', 'role', 'x'], file)).toEqual([]);
  });
});
