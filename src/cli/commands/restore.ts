import type { Command } from 'commander';
import type { CommandContext } from '../io.js';
import { addGuardOptions, type WriteOptions } from './awsauth.js';

type SetExit = (code: number) => void;

/** `restore`: put a backup of aws-auth back on the cluster, with the checks of `apply`. */
export function registerRestore(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  const restore = program
    .command('restore')
    .description(t('help.restore'))
    .argument('<backup>', t('help.restore.file'));
  addGuardOptions(restore, context, 'replace').action(async (backup: string, options: WriteOptions) => {
    const { runApply } = await import('./apply-run.js');
    setExit(await runApply(backup, options, context, 'restore'));
  });
}
