import type { Command } from 'commander';
import type { CommandContext } from '../io.js';

export interface TokenOptions {
  clusterId?: string;
  clusterName?: string;
  region?: string;
  role?: string;
  roleArn?: string;
  sessionName?: string;
  externalId?: string;
  forwardSessionName?: boolean;
  tokenOnly?: boolean;
  profile?: string;
  fips?: boolean;
  dualstack?: boolean;
  cache?: boolean;
  execCache?: boolean;
  launcherCache?: boolean;
}

/**
 * `kubeiam token`: the kubectl exec credential plugin. Flags of `aws eks get-token` and of
 * `aws-iam-authenticator token` are both accepted, so an existing kubeconfig only swaps the command.
 */
export function registerToken(program: Command, context: CommandContext, setExit: (code: number) => void): void {
  const { t } = context;
  program
    .command('token')
    .description(t('help.token'))
    .option('-i, --cluster-id <id>', t('help.token.clusterId'))
    .option('--cluster-name <name>', t('help.token.clusterName'))
    .option('--region <region>', t('help.token.region'))
    .option('-r, --role <arn>', t('help.token.role'))
    .option('--role-arn <arn>', t('help.token.roleArn'))
    .option('-s, --session-name <name>', t('help.token.sessionName'))
    .option('-e, --external-id <id>', t('help.token.externalId'))
    .option('--forward-session-name', t('help.token.forwardSessionName'))
    .option('--token-only', t('help.token.tokenOnly'))
    .option('--profile <name>', t('help.token.profile'))
    .option('--fips', t('help.token.fips'))
    .option('--dualstack', t('help.token.dualstack'))
    .option('--cache', t('help.token.cache'))
    .option('--exec-cache', t('help.token.execCache'))
    .option('--launcher-cache', t('help.token.launcherCache'))
    .action(async (options: TokenOptions, command: Command) => {
      const { runToken } = await import('./token-run.js');
      setExit(await runToken(options, context, programArguments(command)));
    });
}

/**
 * Returns the arguments the program was parsed from (`token …`), which the launcher cache is keyed
 * on. Commander keeps them as `rawArgs`, which its typings do not declare; undefined if that changes.
 */
function programArguments(command: Command): readonly string[] | undefined {
  const rawArgs: unknown = (command.parent as { rawArgs?: unknown } | null)?.rawArgs;
  if (!Array.isArray(rawArgs) || !rawArgs.every((arg) => typeof arg === 'string')) return undefined;
  return rawArgs as string[];
}
