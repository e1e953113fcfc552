import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { translator } from '../i18n/catalog.js';
import { runCli } from '../../test/support/cli.js';
import type { CliIo } from './io.js';
import { buildProgram } from './main.js';

const CJK = /[\u4e00-\u9fff]/;

function chineseProgram(): Command {
  const io: CliIo = {
    stdout: () => undefined,
    stderr: () => undefined,
    env: {},
    cwd: process.cwd(),
    now: () => new Date(0),
    isTTY: false,
    readStdin: async () => '',
  };
  return buildProgram({ io, lang: 'zh-CN', t: translator('zh-CN') }, () => undefined);
}

/** Every help text of the tree: command descriptions, argument and option descriptions. */
function helpTexts(command: Command, path: string): [string, string][] {
  const own: [string, string][] = [[path, command.description()]];
  for (const argument of command.registeredArguments) own.push([`${path} <${argument.name()}>`, argument.description]);
  for (const option of command.options) own.push([`${path} ${option.flags}`, option.description]);
  return [...own, ...command.commands.flatMap((sub) => helpTexts(sub, `${path} ${sub.name()}`))];
}

describe('help texts', () => {
  it.each(helpTexts(chineseProgram(), 'kubeiam'))('%s is translated', (_where, text) => {
    expect(text).toMatch(CJK);
  });

  it('titles are translated', async () => {
    const result = await runCli(['list', '--help'], { env: { LANG: 'zh_CN.UTF-8' } });

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^用法：kubeiam list /);
    expect(result.stdout).toContain('选项：');
  });

  it('choices and defaults are translated', async () => {
    const result = await runCli(['list', '--help'], { env: { LANG: 'zh_CN.UTF-8' } });

    expect(result.stdout).toContain('（可选值："table", "json", "yaml"，默认值："table"）');
    expect(result.stdout).not.toContain('choices:');
  });

  it.each(['apply', 'restore'])('%s --kubeconfig offers no --file mode', async (command) => {
    const result = await runCli([command, '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toContain('kube-system/aws-auth to replace');
    expect(result.stdout).not.toContain('instead of --file');
  });

  it('serve --region shows no empty default', async () => {
    const result = await runCli(['serve', '--help']);

    expect(result.stdout).toContain('--region <region>');
    expect(result.stdout).not.toContain('(default: "")');
  });

  it('English titles stay', async () => {
    const result = await runCli(['--help']);

    expect(result.stdout).toContain('Usage:');
    expect(result.stdout).toContain('Commands:');
  });
});
