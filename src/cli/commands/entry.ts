import type { Command } from 'commander';
import type { CommandContext } from '../io.js';
import { addClusterOptions, addOutputOption, collect, type ClusterOptions } from './entry-options.js';
import { addExplainAccessEntryOptions } from './entry-explain.js';

type SetExit = (code: number) => void;

export interface EntryOptions extends ClusterOptions {
  principalArn?: string;
  type?: string;
  username?: string;
  group?: string[];
  groups?: boolean;
  checkOrphans?: boolean;
  userIds?: boolean;
  output: string;
}

type EntryAction = 'create' | 'get' | 'list' | 'update' | 'delete' | 'export';

function addSubcommand(parent: Command, action: EntryAction, context: CommandContext, setExit: SetExit, build: (command: Command) => Command): void {
  const command = addClusterOptions(parent.command(action).description(context.t(`help.entry.${action}`)), context);
  build(command).action(async (options: EntryOptions) => {
    const { runEntry } = await import('./entry-run.js');
    setExit(await runEntry(action, options, context));
  });
}

/** `entry create|get|list|update|delete`: EKS access entries of one cluster. */
export function registerEntryCommands(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  const entry = program.command('entry').description(t('help.entry')).addHelpCommand(false);
  const principal = (command: Command): Command => command.option('--principal-arn <arn>', t('help.entry.principalArn'));

  addSubcommand(entry, 'create', context, setExit, (command) =>
    principal(command)
      .option('--type <type>', t('help.entry.type'))
      .option('--username <name>', t('help.entry.username'))
      .option('--group <group>', t('help.entry.group'), collect)
      .option('-o, --output <format>', t('help.output'), 'table'));
  addSubcommand(entry, 'get', context, setExit, (command) => addOutputOption(principal(command), context));
  addSubcommand(entry, 'list', context, setExit, (command) =>
    addOutputOption(command.option('--check-orphans', t('help.entry.checkOrphans')), context));
  addSubcommand(entry, 'update', context, setExit, (command) =>
    principal(command)
      .option('--username <name>', t('help.entry.username'))
      .option('--group <group>', t('help.entry.group'), collect)
      .option('--no-groups', t('help.entry.noGroups'))
      .option('-o, --output <format>', t('help.output'), 'table'));
  addSubcommand(entry, 'delete', context, setExit, (command) => principal(command).option('-o, --output <format>', t('help.output'), 'table'));
  addSubcommand(entry, 'export', context, setExit, (command) => command.option('--no-user-ids', t('help.entry.noUserIds')).option('-o, --output <format>', t('help.output'), 'json'));
  addExplainAccessEntryOptions(program, context);
}
