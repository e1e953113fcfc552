import type { Command } from 'commander';
import type { CommandContext } from '../io.js';

export interface KubeconfigOptions {
  cluster: string;
  region?: string;
  alias?: string;
  roleArn?: string;
  profile?: string;
  kubeconfig?: string;
  endpointUrl?: string;
  dryRun?: boolean;
  launcher?: boolean;
}

/** `kubeconfig`: the `aws eks update-kubeconfig` of kubeiam, with `kubeiam token` as exec plugin. */
export function registerKubeconfig(program: Command, context: CommandContext, setExit: (code: number) => void): void {
  const { t } = context;
  program
    .command('kubeconfig')
    .description(t('help.kubeconfig'))
    .requiredOption('--cluster <name>', t('help.aws.cluster'))
    .option('--region <region>', t('help.aws.region'))
    .option('--alias <name>', t('help.kubeconfig.alias'))
    .option('--role-arn <arn>', t('help.kubeconfig.roleArn'))
    .option('--profile <name>', t('help.aws.profile'))
    .option('--kubeconfig <path>', t('help.kubeconfig.path'))
    .option('--endpoint-url <url>', t('help.aws.endpointUrl'))
    .option('--dry-run', t('help.kubeconfig.dryRun'))
    .option('--launcher', t('help.kubeconfig.launcher'))
    .action(async (options: KubeconfigOptions) => {
      const { runKubeconfig } = await import('./kubeconfig-run.js');
      setExit(await runKubeconfig(options, context));
    });
}
