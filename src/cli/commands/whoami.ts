import { Option, type Command } from 'commander';
import type { CommandContext } from '../io.js';

export interface WhoamiOptions {
  profile?: string;
  region?: string;
  endpointUrl?: string;
  file?: string;
  kubeconfig?: string;
  context?: string;
  creator?: string[];
  output: string;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `whoami`: the caller's IAM identity (STS GetCallerIdentity) and what the cluster maps it to. */
export function registerWhoami(program: Command, context: CommandContext, setExit: (code: number) => void): void {
  const { t } = context;
  program
    .command('whoami')
    .description(t('help.whoami'))
    .option('--profile <name>', t('help.aws.profile'))
    .option('--region <region>', t('help.aws.region'))
    .option('--endpoint-url <url>', t('help.aws.endpointUrl'))
    .option('-f, --file <path>', t('help.whoami.file'))
    .option('--kubeconfig <path>', t('help.whoami.kubeconfig'))
    .option('--context <name>', t('help.whoami.context'))
    .option('--creator <arn>', t('help.write.creator'), collect)
    .addOption(new Option('-o, --output <format>', t('help.output')).choices(['table', 'json', 'yaml']).default('table'))
    .action(async (options: WhoamiOptions) => {
      const { runWhoami } = await import('./whoami-run.js');
      setExit(await runWhoami(options, context));
    });
}
