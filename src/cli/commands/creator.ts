import { Option, type Command } from 'commander';
import type { CommandContext } from '../io.js';

export interface CreatorOptions {
  cluster: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
  fromLogs?: string;
  output: string;
}

/** `creator`: the IAM principal that called EKS CreateCluster, found in CloudTrail. */
export function registerCreator(program: Command, context: CommandContext, setExit: (code: number) => void): void {
  const { t } = context;
  program
    .command('creator')
    .description(t('help.creator'))
    .requiredOption('--cluster <name>', t('help.aws.cluster'))
    .option('--region <region>', t('help.aws.region'))
    .option('--profile <name>', t('help.aws.profile'))
    .option('--endpoint-url <url>', t('help.aws.endpointUrl'))
    .option('--from-logs <dir>', t('help.creator.fromLogs'))
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['table', 'json']).default('table'))
    .action(async (options: CreatorOptions) => {
      const { runCreator } = await import('./creator-run.js');
      setExit(await runCreator(options, context));
    });
}
