import type { Command } from 'commander';
import type { CommandContext } from '../io.js';

type SetExit = (code: number) => void;

/** Flags left undefined were not given, so the configuration file and defaults apply. */
export interface InitOptions {
  config?: string;
  clusterId?: string;
  partition?: string;
  hostname?: string;
  address?: string;
  port?: string;
  stateDir?: string;
  kubeconfigOut?: string;
}

/** `init`: the webhook key pair and the kube-apiserver webhook kubeconfig. */
export function registerInit(program: Command, context: CommandContext, setExit: SetExit): void {
  const { t } = context;
  program
    .command('init')
    .description(t('help.init'))
    .option('-c, --config <file>', t('help.serve.config'))
    .option('-i, --cluster-id <id>', t('help.serve.clusterId'))
    .option('--partition <partition>', t('help.serve.partition'))
    .option('--hostname <host>', t('help.init.hostname'))
    .option('--address <address>', t('help.init.address'))
    .option('--port <port>', t('help.init.port'))
    .option('--state-dir <dir>', t('help.init.stateDir'))
    .option('--kubeconfig-out <path>', t('help.init.kubeconfigOut'))
    .action(async (options: InitOptions) => {
      const { runInit } = await import('./init-run.js');
      setExit(await runInit(options, context));
    });
}
