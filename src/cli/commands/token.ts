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
    .action(async (options: TokenOptions) => {
      const { runToken } = await import('./token-run.js');
      setExit(await runToken(options, context));
    });
}
