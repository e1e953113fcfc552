import { Option, type Command } from 'commander';
import type { CommandContext } from '../io.js';

// Option helpers of the access-entry commands. They are loaded at start-up with every command's
// registration, so they stay apart from entry-common.ts, which loads the output code the runs need.

/** Options every command that talks to an EKS cluster takes. */
export interface ClusterOptions {
  cluster: string;
  region?: string;
  profile?: string;
  endpointUrl?: string;
}

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Adds --cluster, --region, --profile and --endpoint-url. */
export function addClusterOptions(command: Command, context: CommandContext, required = true): Command {
  const { t } = context;
  const cluster = new Option('--cluster <name>', t('help.eks.cluster'));
  if (required) cluster.makeOptionMandatory();
  return command
    .addOption(cluster)
    .option('--region <region>', t('help.eks.region'))
    .option('--profile <profile>', t('help.eks.profile'))
    .option('--endpoint-url <url>', t('help.eks.endpointUrl'));
}

export function addOutputOption(command: Command, context: CommandContext): Command {
  return command.addOption(new Option('-o, --output <format>', context.t('help.output')).choices(['table', 'json', 'yaml']).default('table'));
}
