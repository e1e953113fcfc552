import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { pino } from 'pino';
import { IamRegistry } from '../../emulator/registry.js';
import { registryFromSeedFile } from '../../emulator/seed.js';
import { startStsEmulator } from '../../emulator/server.js';
import { loadServerConfig, type ServerConfig } from '../../serverconfig/index.js';
import { ensureStateDirMaterial, webhookServerUrl, writeWebhookKubeconfig } from '../../webhook/kubeconfig.js';
import { createBatchedLogDestination, type BatchedLogDestination } from '../../webhook/log-destination.js';
import { createWebhook } from '../../webhook/webhook.js';
import { CliError, usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import type { EmulatorOptions, ServeOptions } from './servers.js';

/** `kubeiam serve`: the TokenReview webhook, until SIGINT or SIGTERM. */
export async function runServe(options: ServeOptions, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const logger = pino({ level: options.logLevel, base: { service: 'kubeiam' } }, logStream());
  const config = await loadConfig(options, context);
  for (const warning of config.warnings) logger.warn(warning);

  if (options.awsAuthFile !== undefined && !(await exists(resolve(io.cwd, options.awsAuthFile)))) {
    // A typo here would start a webhook that denies everyone; the file must exist at start.
    throw new CliError('serve.awsAuthMissing', { file: options.awsAuthFile });
  }
  const tls = await loadTls(options, config, context);
  await writeKubeconfig(config, tls.cert, context);
  const tokenCacheTtlMs = parseTokenCacheTtl(options.tokenCacheTtl);

  const webhook = await createWebhook({
    clusterId: config.clusterId,
    partition: config.partition,
    region: options.region ?? '',
    ...(options.stsEndpointOverride ? { stsOverride: options.stsEndpointOverride } : {}),
    ...(options.awsAuthFile ? { awsAuthFile: resolve(io.cwd, options.awsAuthFile) } : {}),
    backendModes: backendModesWithAwsAuthFile(config.backendModes, options.awsAuthFile !== undefined),
    reservedPrefixConfig: config.reservedPrefixes,
    mounted: config.mounted,
    ...(config.dynamicFilePath ? { dynamicFilePath: resolve(io.cwd, config.dynamicFilePath) } : {}),
    dynamicFileUserIdStrict: config.dynamicFileUserIdStrict,
    kubernetes: {
      ...(config.kubeconfig ? { kubeconfig: resolve(io.cwd, config.kubeconfig) } : {}),
      ...(config.master ? { master: config.master } : {}),
    },
    ...(config.dynamicBackendModePath ? { dynamicBackendModePath: resolve(io.cwd, config.dynamicBackendModePath) } : {}),
    tokenCache: tokenCacheTtlMs === 0 ? false : { ttlMs: tokenCacheTtlMs },
    ec2: {
      qps: config.ec2DescribeInstancesQps,
      burst: config.ec2DescribeInstancesBurst,
      ...(options.ec2Endpoint ? { ec2Endpoint: options.ec2Endpoint } : {}),
      ...(config.ec2DescribeInstancesRoleArn ? { roleArn: config.ec2DescribeInstancesRoleArn } : {}),
      ...(config.sourceArn ? { sourceArn: config.sourceArn } : {}),
    },
    bootstrapAdminArns: options.bootstrapAdmin ?? [],
    scrubbedAccounts: [...config.scrubbedAccounts, ...(options.scrubbedAccount ?? [])],
    reservedPrefixes: options.reservedPrefix ?? [],
    keepLastGood: options.keepLastGood === true,
    ssoRoleMatch: options.ssoRoleMatch === true,
    tls,
    host: config.address,
    port: config.port,
    logger,
  });
  logger.info({ url: webhook.server.url, clusterId: config.clusterId, backendModes: webhook.backendModes }, 'webhook listening');
  io.stdout(`${t('serve.listening', { url: `${webhook.server.url}/authenticate` })}\n`);

  const signal = await waitForSignal();
  logger.info({ signal }, 'shutting down');
  await webhook.close();
  return EXIT.ok;
}

/** Reads `-c` and merges it with the flags and the environment (flag > env > file > default). */
async function loadConfig(options: ServeOptions, context: CommandContext): Promise<ServerConfig> {
  const file = options.config === undefined ? undefined : await readConfigFile(resolve(context.io.cwd, options.config));
  return loadServerConfig({
    ...(file === undefined ? {} : { file }),
    env: context.io.env,
    flags: definedOnly({
      clusterId: options.clusterId,
      partition: options.partition,
      port: options.port,
      address: options.address,
      hostname: options.hostname,
      stateDir: options.stateDir,
      generateKubeconfig: options.generateKubeconfig,
      kubeconfigPregenerated: options.kubeconfigPregenerated,
      kubeconfig: options.kubeconfig,
      master: options.master,
      backendMode: options.backendMode,
      ec2DescribeInstancesQps: options.ec2DescribeInstancesQps,
      ec2DescribeInstancesBurst: options.ec2DescribeInstancesBurst,
    }),
  });
}

export async function readConfigFile(path: string): Promise<{ path: string; text: string }> {
  try {
    return { path, text: await fs.readFile(path, 'utf8') };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new CliError('serve.configUnreadable', { file: path, reason });
  }
}

/** Drops undefined values, so an absent flag does not hide the file's value. */
export function definedOnly<Values extends object>(values: Values): Values {
  return Object.fromEntries(Object.entries(values).filter(([, value]) => value !== undefined)) as Values;
}

/** `--aws-auth-file` adds kubeiam's AwsAuthFile backend at the end unless the list names it. */
function backendModesWithAwsAuthFile(modes: readonly string[], hasAwsAuthFile: boolean): readonly string[] {
  return hasAwsAuthFile && !modes.includes('AwsAuthFile') ? [...modes, 'AwsAuthFile'] : modes;
}

/** Writes the webhook kubeconfig when `generateKubeconfig` is set and it is not pregenerated. */
async function writeKubeconfig(config: ServerConfig, cert: string, context: CommandContext): Promise<void> {
  if (config.generateKubeconfig === '' || config.kubeconfigPregenerated) return;
  const path = resolve(context.io.cwd, config.generateKubeconfig);
  await writeWebhookKubeconfig(path, cert, webhookServerUrl(config.hostname, config.port));
  context.io.stderr(`${context.t('serve.kubeconfigWritten', { path })}\n`);
  context.io.stderr(`${context.t('serve.apiserverHint', { path })}\n`);
}

function parseTokenCacheTtl(value: string): number {
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !Number.isFinite(seconds)) throw usageError('serve.tokenCacheTtlInvalid', { value });
  return Math.round(seconds * 1000);
}

/** `kubeiam emulator`: the STS emulator on loopback, seeded from a file, until SIGINT or SIGTERM. */
export async function runEmulator(options: EmulatorOptions, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const registry = options.seed ? await registryFromSeedFile(resolve(io.cwd, options.seed)) : new IamRegistry();
  const emulator = await startStsEmulator({ registry, host: options.address, port: parsePort(options.port) });
  io.stdout(`${t('emulator.listening', { url: emulator.url })}\n`);
  if (!options.seed) io.stderr(`${t('emulator.noSeed')}\n`);
  await waitForSignal();
  await emulator.close();
  return EXIT.ok;
}

/**
 * TLS files from --tls-cert/--tls-key, or from the state directory (flag or `server.stateDir`),
 * where a missing pair is generated like aws-iam-authenticator does (see ensureStateDirMaterial).
 */
async function loadTls(options: ServeOptions, config: ServerConfig, context: CommandContext): Promise<{ cert: string; key: string }> {
  const { io } = context;
  if (options.tlsCert && options.tlsKey) {
    return {
      cert: await readRequired(resolve(io.cwd, options.tlsCert)),
      key: await readRequired(resolve(io.cwd, options.tlsKey)),
    };
  }
  if (config.stateDir === '') throw usageError('serve.tlsMissing');

  const material = await ensureStateDirMaterial(resolve(io.cwd, config.stateDir), { address: config.address, hostname: config.hostname }, io.now());
  if (material.generated) io.stderr(`${context.t('serve.certGenerated', { path: material.certPath })}\n`);
  return { cert: material.cert, key: material.key };
}

async function readRequired(path: string): Promise<string> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch {
    throw new CliError('read.fileMissing', { file: path });
  }
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw usageError('serve.portInvalid', { value });
  return port;
}

function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolvePromise) => {
    const done = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolvePromise(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the destination of the JSON log: stderr, written once per event-loop iteration (see
 * createBatchedLogDestination). One write(2) per request took about a sixth of the webhook's CPU
 * time on the cached-token path (bench/webhook-throughput.mjs, row (a)). When the log's reader goes
 * away (EPIPE), log lines are dropped and the server still stops on SIGTERM. pino's own file
 * destination retried the failed writes instead, which kept the process alive. EPIPE on
 * process.stderr, which other messages use, is ignored the same way.
 */
function logStream(): BatchedLogDestination {
  process.stderr.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
  return createBatchedLogDestination({ fd: process.stderr.fd });
}
