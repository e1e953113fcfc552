import { existsSync, mkdirSync, promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { destination, pino } from 'pino';
import { IamRegistry } from '../../emulator/registry.js';
import { registryFromSeedFile } from '../../emulator/seed.js';
import { startStsEmulator } from '../../emulator/server.js';
import { generateSelfSignedCertificate } from '../../webhook/certificate.js';
import { createWebhook } from '../../webhook/webhook.js';
import { CliError, usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import type { EmulatorOptions, ServeOptions } from './servers.js';

/** `kubeiam serve`: the TokenReview webhook, until SIGINT or SIGTERM. */
export async function runServe(options: ServeOptions, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const clusterId = options.clusterId || io.env.KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID || '';
  if (clusterId === '') throw usageError('serve.clusterMissing');
  const port = parsePort(options.port);
  const tls = await loadTls(options, context);

  const logger = pino({ level: options.logLevel, base: { service: 'kubeiam' } }, destination(2));
  const webhook = await createWebhook({
    clusterId,
    partition: options.partition,
    region: options.region,
    ...(options.stsEndpointOverride ? { stsOverride: options.stsEndpointOverride } : {}),
    ...(options.awsAuthFile ? { awsAuthFile: resolve(io.cwd, options.awsAuthFile) } : {}),
    bootstrapAdminArns: options.bootstrapAdmin ?? [],
    scrubbedAccounts: options.scrubbedAccount ?? [],
    reservedPrefixes: options.reservedPrefix ?? [],
    keepLastGood: options.keepLastGood === true,
    ssoRoleMatch: options.ssoRoleMatch === true,
    tls,
    host: options.address,
    port,
    logger,
  });
  logger.info({ url: webhook.server.url, clusterId, awsAuthFile: options.awsAuthFile ?? null }, 'webhook listening');
  io.stdout(`${t('serve.listening', { url: `${webhook.server.url}/authenticate` })}\n`);

  const signal = await waitForSignal();
  logger.info({ signal }, 'shutting down');
  await webhook.close();
  return EXIT.ok;
}

/** `kubeiam emulator`: the STS emulator on loopback, seeded from a file, until SIGINT or SIGTERM. */
export async function runEmulator(options: EmulatorOptions, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const registry = options.seed ? await registryFromSeedFile(resolve(io.cwd, options.seed)) : new IamRegistry();
  const emulator = await startStsEmulator({ registry, host: options.address, port: parsePort(options.port) });
  io.stdout(`${t('emulator.listening', { url: emulator.url })}\n`);
  await waitForSignal();
  await emulator.close();
  return EXIT.ok;
}

/**
 * TLS files from --tls-cert/--tls-key, or from --state-dir where a missing pair is generated
 * (cert.pem and key.pem, like aws-iam-authenticator's state directory; the key is written 0600).
 */
async function loadTls(options: ServeOptions, context: CommandContext): Promise<{ cert: string; key: string }> {
  const { io } = context;
  if (options.tlsCert && options.tlsKey) {
    return {
      cert: await readRequired(resolve(io.cwd, options.tlsCert)),
      key: await readRequired(resolve(io.cwd, options.tlsKey)),
    };
  }
  if (!options.stateDir) throw usageError('serve.tlsMissing');

  const dir = resolve(io.cwd, options.stateDir);
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  if (!existsSync(certPath) || !existsSync(keyPath)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const hosts = options.address === '0.0.0.0' || options.address === '::' ? ['127.0.0.1'] : [options.address];
    const generated = generateSelfSignedCertificate({ commonName: 'kubeiam', dnsNames: ['localhost'], ipAddresses: hosts });
    await fs.writeFile(certPath, generated.cert, { mode: 0o644 });
    await fs.writeFile(keyPath, generated.key, { mode: 0o600 });
    io.stderr(`${context.t('serve.certGenerated', { path: certPath })}\n`);
  }
  return { cert: await readRequired(certPath), key: await readRequired(keyPath) };
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
