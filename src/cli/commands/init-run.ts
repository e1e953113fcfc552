import { resolve } from 'node:path';
import { loadServerConfig } from '../../serverconfig/index.js';
import { ensureStateDirMaterial, webhookServerUrl, writeWebhookKubeconfig } from '../../webhook/kubeconfig.js';
import { EXIT, type CommandContext } from '../io.js';
import type { InitOptions } from './init.js';
import { definedOnly, readConfigFile } from './servers-run.js';

/** Kubeconfig name the reference writes into the current directory. */
const DEFAULT_KUBECONFIG = 'aws-iam-authenticator.kubeconfig';

/**
 * `kubeiam init`: validates the configuration like `serve` (cluster ID and partition required),
 * creates or keeps the state directory's key pair, writes the webhook kubeconfig and prints the
 * kube-apiserver flag. Unlike aws-iam-authenticator 0.7.18, `--address` is honoured.
 */
export async function runInit(options: InitOptions, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const file = options.config === undefined ? undefined : await readConfigFile(resolve(io.cwd, options.config));
  const config = loadServerConfig({
    ...(file === undefined ? {} : { file }),
    env: io.env,
    flags: definedOnly({
      clusterId: options.clusterId,
      partition: options.partition,
      hostname: options.hostname,
      address: options.address,
      port: options.port,
      stateDir: options.stateDir,
      generateKubeconfig: options.kubeconfigOut,
    }),
  });

  const stateDir = resolve(io.cwd, config.stateDir === '' ? '.' : config.stateDir);
  const material = await ensureStateDirMaterial(stateDir, { address: config.address, hostname: config.hostname }, io.now());
  const pair = { cert: material.certPath, key: material.keyPath };
  io.stdout(`${t(material.generated ? 'init.keyPairGenerated' : 'init.keyPairKept', pair)}\n`);

  const kubeconfigPath = resolve(io.cwd, config.generateKubeconfig === '' ? DEFAULT_KUBECONFIG : config.generateKubeconfig);
  const url = webhookServerUrl(config.hostname, config.port);
  await writeWebhookKubeconfig(kubeconfigPath, material.cert, url);
  io.stdout(`${t('init.kubeconfigWritten', { url, path: kubeconfigPath })}\n`);
  io.stdout(`${t('init.copyHint', { ...pair, kubeconfig: kubeconfigPath })}\n`);
  io.stdout(`${t('serve.apiserverHint', { path: kubeconfigPath })}\n`);
  return EXIT.ok;
}
