import type { Command } from 'commander';
import type { CommandContext } from '../io.js';

type SetExit = (code: number) => void;

export interface ServeOptions {
  clusterId?: string;
  awsAuthFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  stateDir?: string;
  address: string;
  port: string;
  partition: string;
  region: string;
  stsEndpointOverride?: string;
  bootstrapAdmin?: string[];
  scrubbedAccount?: string[];
  reservedPrefix?: string[];
  keepLastGood?: boolean;
  ssoRoleMatch?: boolean;
  logLevel: string;
}

export interface EmulatorOptions {
  seed?: string;
  address: string;
  port: string;
}

export interface DemoOptions {
  kubectl: boolean;
  keep?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** `serve`, `emulator` and `demo`: the commands that start servers. */
export function registerServerCommands(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  program
    .command('serve')
    .description(t('help.serve'))
    .option('-i, --cluster-id <id>', t('help.serve.clusterId'))
    .option('--aws-auth-file <path>', t('help.serve.awsAuthFile'))
    .option('--tls-cert <path>', t('help.serve.tlsCert'))
    .option('--tls-key <path>', t('help.serve.tlsKey'))
    .option('--state-dir <dir>', t('help.serve.stateDir'))
    .option('--address <address>', t('help.serve.address'), '127.0.0.1')
    .option('--port <port>', t('help.serve.port'), '21362')
    .option('--partition <partition>', t('help.serve.partition'), 'aws')
    .option('--region <region>', t('help.serve.region'), '')
    .option('--sts-endpoint-override <url>', t('help.stsOverride'))
    .option('--bootstrap-admin <arn>', t('help.serve.bootstrapAdmin'), collect)
    .option('--scrubbed-account <id>', t('help.serve.scrubbedAccount'), collect)
    .option('--reserved-prefix <prefix>', t('help.serve.reservedPrefix'), collect)
    .option('--keep-last-good', t('help.serve.keepLastGood'))
    .option('--sso-role-match', t('help.ssoRoleMatch'))
    .option('--log-level <level>', t('help.serve.logLevel'), 'info')
    .action(async (options: ServeOptions) => {
      const { runServe } = await import('./servers-run.js');
      setExit(await runServe(options, context));
    });

  program
    .command('emulator')
    .description(t('help.emulator'))
    .option('--seed <file>', t('help.emulator.seed'))
    .option('--address <address>', t('help.emulator.address'), '127.0.0.1')
    .option('--port <port>', t('help.emulator.port'), '0')
    .action(async (options: EmulatorOptions) => {
      const { runEmulator } = await import('./servers-run.js');
      setExit(await runEmulator(options, context));
    });

  program
    .command('demo')
    .description(t('help.demo'))
    .option('--no-kubectl', t('help.demo.noKubectl'))
    .option('--keep', t('help.demo.keep'))
    .action(async (options: DemoOptions) => {
      const { runDemo } = await import('./demo-run.js');
      setExit(await runDemo(options, context));
    });
}
