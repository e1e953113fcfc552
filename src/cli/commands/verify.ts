import { Option, type Command } from 'commander';
import type { CommandContext } from '../io.js';

export interface VerifyOptions {
  token?: string;
  clusterId?: string;
  partition: string;
  region?: string;
  stsEndpointOverride?: string;
  output: 'text' | 'json';
}

/**
 * `kubeiam verify`: verifies a token the way the webhook does and prints the caller, like
 * `aws-iam-authenticator verify`. A debugging aid; it sends the token's request to STS.
 */
export function registerVerify(program: Command, context: CommandContext, setExit: (code: number) => void): void {
  const { t } = context;
  program
    .command('verify')
    .description(t('help.verify'))
    .option('-t, --token <token>', t('help.verify.token'))
    .option('-i, --cluster-id <id>', t('help.verify.clusterId'))
    .option('--partition <partition>', t('help.verify.partition'), 'aws')
    .option('--region <region>', t('help.verify.region'))
    .option('--sts-endpoint-override <url>', t('help.verify.stsEndpointOverride'))
    .addOption(new Option('-o, --output <format>', t('help.verify.output')).choices(['text', 'json']).default('text'))
    .action(async (options: VerifyOptions) => {
      const { runVerify } = await import('./verify-run.js');
      setExit(await runVerify(options, context));
    });
}
