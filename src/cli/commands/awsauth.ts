import { Option, type Command } from 'commander';
import type { CommandContext } from '../io.js';

type SetExit = (code: number) => void;

/** Location of aws-auth: a file (`--file`) or the cluster of a kubeconfig (`--kubeconfig`, `--context`). */
export interface TargetOptions {
  file?: string;
  kubeconfig?: string;
  context?: string;
}

export interface WriteOptions extends TargetOptions {
  dryRun?: boolean;
  force?: boolean;
  create?: boolean;
  backup?: boolean;
  backupDir?: string;
  backupConfigmap?: boolean;
  creator?: string[];
  protect?: string[];
  as?: string;
  output?: string;
}

export interface GrantOptions extends WriteOptions {
  username?: string;
  group?: string[];
  checkIam?: boolean;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/**
 * Adds `--kubeconfig` and `--context`, the cluster mode of a command. `replace` is for apply and
 * restore, which always write to the cluster, so their help does not offer --file as the other mode.
 */
export function addClusterOptions(command: Command, context: CommandContext, variant: 'edit' | 'replace' = 'edit'): Command {
  const { t } = context;
  return command
    .option('--kubeconfig <path>', t(variant === 'replace' ? 'help.apply.kubeconfig' : 'help.cluster.kubeconfig'))
    .option('--context <name>', t('help.cluster.context'));
}

/** Adds the options every aws-auth write shares: `edit` for grant and revoke, `replace` for apply and restore. */
export function addGuardOptions(command: Command, context: CommandContext, variant: 'edit' | 'replace' = 'edit'): Command {
  const { t } = context;
  return addClusterOptions(command, context, variant)
    .option('--dry-run', t('help.write.dryRun'))
    .option('--force', t(variant === 'replace' ? 'help.apply.force' : 'help.write.force'))
    .option('--no-backup', t('help.write.noBackupAny'))
    .option('--backup-dir <dir>', t('help.write.backupDir'))
    .option('--backup-configmap', t('help.write.backupConfigMap'))
    .option('--creator <arn>', t('help.write.creator'), collect)
    .option('--protect <arn>', t('help.write.protect'), collect)
    .option('--as <arn>', t('help.write.as'))
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['text', 'json', 'yaml']).default('text'));
}

function addWriteOptions(command: Command, context: CommandContext): Command {
  const { t } = context;
  command.option('-f, --file <path>', t('help.write.file')).option('--create', t('help.write.create'));
  return addGuardOptions(command, context);
}

/** `grant`, `revoke`, `list` and `lint`: aws-auth management on a file or on the live ConfigMap. */
export function registerAwsAuthCommands(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  const grant = program
    .command('grant')
    .description(t('help.grant'))
    .argument('<kind>', t('help.grant.kind'))
    .argument('<arn>', t('help.grant.arn'))
    .option('--username <name>', t('help.grant.username'))
    .option('--group <group>', t('help.grant.group'), collect)
    .option('--check-iam', t('help.grant.checkIam'));
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

  const list = program
    .command('list')
    .description(t('help.list'))
    .option('-f, --file <path>', t('help.read.file'))
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['table', 'json', 'yaml']).default('table'));
  addClusterOptions(list, context).action(async (options: TargetOptions & { output: string }) => {
    const { runList } = await import('./awsauth-run.js');
    setExit(await runList(options, context));
  });

  program
    .command('lint')
    .description(t('help.lint'))
    .argument('<file>', t('help.read.file'))
    .option('--creator <arn>', t('help.write.creator'), collect)
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['text', 'json', 'yaml']).default('text'))
    .action(async (file: string, options: { creator?: string[]; output: string }) => {
      const { runLint } = await import('./awsauth-run.js');
      setExit(await runLint(file, options, context));
    });
}
