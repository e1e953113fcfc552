import { Option, type Command } from 'commander';
import type { CommandContext } from '../io.js';

type SetExit = (code: number) => void;

export interface WriteOptions {
  file: string;
  dryRun?: boolean;
  force?: boolean;
  create?: boolean;
  backup?: boolean;
  creator?: string[];
  protect?: string[];
  output?: string;
}

export interface GrantOptions extends WriteOptions {
  username?: string;
  group?: string[];
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

function addWriteOptions(command: Command, context: CommandContext): Command {
  const { t } = context;
  return command
    .requiredOption('-f, --file <path>', t('help.write.file'))
    .option('--dry-run', t('help.write.dryRun'))
    .option('--force', t('help.write.force'))
    .option('--create', t('help.write.create'))
    .option('--no-backup', t('help.write.noBackup'))
    .option('--creator <arn>', t('help.write.creator'), collect)
    .option('--protect <arn>', t('help.write.protect'), collect)
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['text', 'json']).default('text'));
}

/** `grant`, `revoke`, `list` and `lint`: aws-auth management on a file. */
export function registerAwsAuthCommands(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  const grant = program
    .command('grant')
    .description(t('help.grant'))
    .argument('<kind>', t('help.grant.kind'))
    .argument('<arn>', t('help.grant.arn'))
    .option('--username <name>', t('help.grant.username'))
    .option('--group <group>', t('help.grant.group'), collect);
  addWriteOptions(grant, context).action(async (kind: string, arn: string, options: GrantOptions) => {
    const { runGrant } = await import('./awsauth-run.js');
    setExit(await runGrant(kind, arn, options, context));
  });

  const revoke = program
    .command('revoke')
    .description(t('help.revoke'))
    .argument('<kind>', t('help.grant.kind'))
    .argument('<arn>', t('help.revoke.arn'));
  addWriteOptions(revoke, context).action(async (kind: string, arn: string, options: WriteOptions) => {
    const { runRevoke } = await import('./awsauth-run.js');
    setExit(await runRevoke(kind, arn, options, context));
  });

  program
    .command('list')
    .description(t('help.list'))
    .requiredOption('-f, --file <path>', t('help.read.file'))
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['table', 'json', 'yaml']).default('table'))
    .action(async (options: { file: string; output: string }) => {
      const { runList } = await import('./awsauth-run.js');
      setExit(await runList(options, context));
    });

  program
    .command('lint')
    .description(t('help.lint'))
    .argument('<file>', t('help.read.file'))
    .option('--creator <arn>', t('help.write.creator'), collect)
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['text', 'json']).default('text'))
    .action(async (file: string, options: { creator?: string[]; output: string }) => {
      const { runLint } = await import('./awsauth-run.js');
      setExit(await runLint(file, options, context));
    });
}
