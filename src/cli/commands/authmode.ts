import type { Command } from 'commander';
import type { CommandContext } from '../io.js';
import { addClusterOptions, addOutputOption, type ClusterOptions } from './entry-options.js';

type SetExit = (code: number) => void;

export interface AuthModeOptions extends ClusterOptions {
  mode?: string;
  wait?: boolean;
  timeout: string;
  output: string;
}

/** `auth-mode show|set`: the cluster's authentication mode, moved only along its one-way path. */
export function registerAuthModeCommands(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  const authMode = program.command('auth-mode').description(t('help.authMode')).addHelpCommand(false);
  const run = (action: 'show' | 'set') => async (options: AuthModeOptions): Promise<void> => {
    const { runAuthMode } = await import('./authmode-run.js');
    setExit(await runAuthMode(action, options, context));
  };
  addOutputOption(addClusterOptions(authMode.command('show').description(t('help.authMode.show')), context), context).action(run('show'));
  addClusterOptions(authMode.command('set').description(t('help.authMode.set')), context)
    .option('--mode <mode>', t('help.authMode.mode'))
    .option('--wait', t('help.authMode.wait'))
    .option('--timeout <seconds>', t('help.authMode.timeout'), '1500')
    .option('-o, --output <format>', t('help.output'), 'table')
    .action(run('set'));
}
