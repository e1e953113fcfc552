import type { Command } from 'commander';
import type { CommandContext } from '../io.js';
import { addClusterOptions, addOutputOption, type ClusterOptions } from './entry-options.js';

type SetExit = (code: number) => void;

export interface MigrateOptions extends Omit<ClusterOptions, 'cluster'> {
  cluster?: string;
  file: string;
  account?: string;
  verify?: boolean;
  output: string;
}

/** `migrate plan|apply`: move aws-auth mappings to access entries with the same usernames and groups. */
export function registerMigrateCommands(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  const migrate = program.command('migrate').description(t('help.migrate')).addHelpCommand(false);
  for (const action of ['plan', 'apply'] as const) {
    const command = addClusterOptions(migrate.command(action).description(t(`help.migrate.${action}`)), context, action === 'apply')
      .requiredOption('-f, --file <path>', t('help.migrate.file'))
      .option('--verify', t('help.migrate.verify'));
    if (action === 'plan') command.option('--account <id>', t('help.migrate.account'));
    addOutputOption(command, context).action(async (options: MigrateOptions) => {
      const { runMigrate } = await import('./migrate-run.js');
      setExit(await runMigrate(action, options, context));
    });
  }
}
