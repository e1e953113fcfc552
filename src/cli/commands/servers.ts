import type { Command } from 'commander';
import type { CommandContext } from '../io.js';

type SetExit = (code: number) => void;

/** Flags left undefined were not given, so the configuration file and defaults apply. */
export interface ServeOptions {
  config?: string;
  clusterId?: string;
  awsAuthFile?: string;
  tlsCert?: string;
  tlsKey?: string;
  stateDir?: string;
  address?: string;
  port?: string;
  partition?: string;
  region?: string;
  hostname?: string;
  generateKubeconfig?: string;
  kubeconfigPregenerated?: boolean;
  kubeconfig?: string;
  master?: string;
  backendMode?: string;
  ec2DescribeInstancesQps?: string;
  ec2DescribeInstancesBurst?: string;
  ec2Endpoint?: string;
  tokenCacheTtl: string;
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
    .option('-c, --config <file>', t('help.serve.config'))
    .option('-i, --cluster-id <id>', t('help.serve.clusterId'))
    .option('--aws-auth-file <path>', t('help.serve.awsAuthFile'))
    .option('--tls-cert <path>', t('help.serve.tlsCert'))
    .option('--tls-key <path>', t('help.serve.tlsKey'))
    .option('--state-dir <dir>', t('help.serve.stateDir'))
    .option('--address <address>', t('help.serve.address'))
    .option('--port <port>', t('help.serve.port'))
    .option('--partition <partition>', t('help.serve.partition'))
    .option('--region <region>', t('help.serve.region'))
    .option('--hostname <host>', t('help.serve.hostname'))
    .option('--generate-kubeconfig <path>', t('help.serve.generateKubeconfig'))
    .option('--kubeconfig-pregenerated', t('help.serve.kubeconfigPregenerated'))
    .option('--kubeconfig <path>', t('help.serve.kubeconfig'))
    .option('--master <url>', t('help.serve.master'))
    .option('--backend-mode <list>', t('help.serve.backendMode'))
    .option('--ec2-describeInstances-qps <qps>', t('help.serve.ec2Qps'))
    .option('--ec2-describeInstances-burst <burst>', t('help.serve.ec2Burst'))
    .option('--ec2-endpoint <url>', t('help.serve.ec2Endpoint'))
    .option('--token-cache-ttl <seconds>', t('help.serve.tokenCacheTtl'), '60')
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
