import { describe, expect, it } from 'vitest';
import { runCli } from '../../test/support/cli.js';

const zh = { LANG: 'zh_CN.UTF-8' };

describe('commander usage errors', () => {
  it.each([
    [['lsit'], "错误：未知命令 'lsit'", '（您是不是要输入 list？）'],
    [['list', '--bogus'], "错误：未知选项 '--bogus'", ''],
    [['list', '-o', 'xml'], "错误：选项 '-o, --output <format>' 的值 'xml' 无效，可选值为 table, json, yaml。", ''],
    [['grant', 'user'], "错误：缺少必需的参数 'arn'", ''],
    [['completion', 'fish'], "错误：参数 'shell' 的值 'fish' 无效，可选值为 bash, zsh。", ''],
  ])('%j in Chinese', async (argv, message, hint) => {
    const result = await runCli(argv, { env: zh });

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain(hint);
  });

  it('English stays as commander wrote it', async () => {
    const result = await runCli(['list', '--bogus']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("error: unknown option '--bogus'");
  });
});
