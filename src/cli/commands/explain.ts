import { Option, type Command } from 'commander';
import type { CommandContext } from '../io.js';

export interface ExplainOptions {
  arn?: string;
  token?: string;
  clusterId?: string;
  partition?: string;
  stsEndpointOverride?: string;
  file?: string;
  creator?: string[];
  ssoRoleMatch?: boolean;
  output: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `explain`: which step of the authentication chain decides an identity, and the fix. */
export function registerExplain(program: Command, context: CommandContext, setExit: (code: number) => void): void {
  const { t } = context;
  program
    .command('explain')
    .description(t('help.explain'))
    .option('--arn <arn>', t('help.explain.arn'))
    .option('--token <token>', t('help.explain.token'))
    .option('-i, --cluster-id <id>', t('help.explain.clusterId'))
    .option('--partition <partition>', t('help.explain.partition'), 'aws')
    .option('--sts-endpoint-override <url>', t('help.stsOverride'))
    .option('-f, --file <path>', t('help.read.file'))
    .option('--creator <arn>', t('help.write.creator'), collect)
    .option('--sso-role-match', t('help.ssoRoleMatch'))
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['text', 'json', 'yaml']).default('text'))
    .action(async (options: ExplainOptions) => {
      const { runExplain } = await import('./explain-run.js');
      setExit(await runExplain(options, context));
    });
}
