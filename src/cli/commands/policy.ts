import { Option, type Command } from 'commander';
import type { CommandContext } from '../io.js';
import { addClusterOptions, addOutputOption, collect, type ClusterOptions } from './entry-options.js';

type SetExit = (code: number) => void;

export interface PolicyOptions extends ClusterOptions {
  principalArn?: string;
  policy?: string;
  scope: string;
  namespace?: string[];
  available?: boolean;
  output: string;
}

type PolicyAction = 'associate' | 'disassociate' | 'list';

/** `policy associate|disassociate|list`: access policies of an access entry. */
export function registerPolicyCommands(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  const policy = program.command('policy').description(t('help.policy')).addHelpCommand(false);
  const add = (action: PolicyAction, build: (command: Command) => Command): void => {
    const command = addClusterOptions(policy.command(action).description(t(`help.policy.${action}`)), context, action !== 'list');
    build(command.option('--principal-arn <arn>', t('help.entry.principalArn'))).action(async (options: PolicyOptions) => {
      const { runPolicy } = await import('./policy-run.js');
      setExit(await runPolicy(action, options, context));
    });
  };

  add('associate', (command) =>
    command
      .option('--policy <name>', t('help.policy.policy'))
      .addOption(new Option('--scope <type>', t('help.policy.scope')).default('cluster'))
      .option('--namespace <name>', t('help.policy.namespace'), collect)
      .option('-o, --output <format>', t('help.output'), 'table'));
  add('disassociate', (command) => command.option('--policy <name>', t('help.policy.policy')).option('-o, --output <format>', t('help.output'), 'table'));
  add('list', (command) => addOutputOption(command.option('--available', t('help.policy.available')), context));
}
