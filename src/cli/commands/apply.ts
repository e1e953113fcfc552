import type { Command } from 'commander';
import type { CommandContext } from '../io.js';
import { addGuardOptions, type WriteOptions } from './awsauth.js';

type SetExit = (code: number) => void;

/** `apply`: replace the live aws-auth with a file, through the write guards. */
export function registerApply(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  const apply = program
    .command('apply')
    .description(t('help.apply'))
    .requiredOption('-f, --file <path>', t('help.apply.file'));
  addGuardOptions(apply, context, 'replace').action(async (options: WriteOptions & { file: string }) => {
    const { runApply } = await import('./apply-run.js');
    setExit(await runApply(options.file, options, context, 'apply'));
  });
}
