import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { isIP } from 'node:net';
import { generateSelfSignedCertificate } from './certificate.js';
import { WebhookConfigError } from './errors.js';

/**
 * Returns the webhook URL the API server calls: `https://` + host:port + `/authenticate`, with an
 * IPv6 host in brackets, like Go's net.JoinHostPort.
 */
export function webhookServerUrl(hostname: string, port: number): string {
  const host = hostname.includes(':') ? `[${hostname}]` : hostname;
  return `https://${host}:${port}/authenticate`;
}

/**
 * Returns the certificate's subject alternative names like aws-iam-authenticator 0.7.18. The IP of
 * `address` comes first unless it is unspecified (`0.0.0.0`, `::`). Then `hostname` follows, as an
 * extra IP when it is an IP literal other than the address, or else as a DNS name.
 */
export function certificateNames(address: string, hostname: string): { dnsNames: string[]; ipAddresses: string[] } {
  const ipAddresses: string[] = [];
  const dnsNames: string[] = [];
  const addressIsIp = isIP(address) !== 0;
  if (addressIsIp && address !== '0.0.0.0' && address !== '::') ipAddresses.push(address);

  if (isIP(hostname) !== 0) {
    if (hostname !== address) ipAddresses.push(hostname);
  } else if (hostname !== '') {
    dnsNames.push(hostname);
  }
  return { dnsNames, ipAddresses };
}

/**
 * Renders the kubeconfig for kube-apiserver's `--authentication-token-webhook-config-file`, in the
 * exact text aws-iam-authenticator writes (it starts with an empty line). The CA is the server's
 * own self-signed certificate, base64 of its PEM.
 */
export function renderWebhookKubeconfig(certificatePem: string, serverUrl: string): string {
  const ca = Buffer.from(certificatePem, 'utf8').toString('base64');
  return `
clusters:
  - name: aws-iam-authenticator
    cluster:
      certificate-authority-data: ${ca}
      server: ${serverUrl}
# user refers to the API server client
users:
  - name: apiserver
current-context: webhook
contexts:
- name: webhook
  context:
    cluster: aws-iam-authenticator
    user: apiserver
`;
}

export interface StateDirMaterial {
  readonly certPath: string;
  readonly keyPath: string;
  readonly cert: string;
  readonly key: string;
  /** True when the pair was generated now. */
  readonly generated: boolean;
}

/** Validity of generated certificates: 100 years of 365 days, as aws-iam-authenticator (it never rotates them). */
export const GENERATED_CERT_DAYS = 100 * 365;

/**
 * Loads `cert.pem` and `key.pem` from the state directory, generating both when either is missing:
 * RSA-2048, self-signed CA, CN `aws-iam-authenticator`, PKCS#1 key written 0600 in a 0700
 * directory, SANs from certificateNames.
 */
export async function ensureStateDirMaterial(stateDir: string, names: { address: string; hostname: string }, now: Date = new Date()): Promise<StateDirMaterial> {
  const certPath = join(stateDir, 'cert.pem');
  const keyPath = join(stateDir, 'key.pem');
  if (existsSync(certPath) && existsSync(keyPath)) {
    return { certPath, keyPath, cert: await readFile(certPath, 'utf8'), key: await readFile(keyPath, 'utf8'), generated: false };
  }
  // aws-iam-authenticator regenerates both files when one is missing. That silently replaces a
  // certificate the API server's webhook kubeconfig trusts, so kubeiam stops with the steps to take.
  const present = [certPath, keyPath].find((path) => existsSync(path));
  if (present !== undefined) {
    const missing = present === certPath ? keyPath : certPath;
    throw new WebhookConfigError(
      'TLS_INVALID',
      `${missing} is missing but ${present} exists: restore ${missing}, or remove ${present} to generate a new pair (then update the API server's webhook kubeconfig)`,
    );
  }

  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  const pair = generateSelfSignedCertificate({
    commonName: 'aws-iam-authenticator',
    keyType: 'rsa',
    keyFormat: 'pkcs1',
    validityDays: GENERATED_CERT_DAYS,
    now,
    ...certificateNames(names.address, names.hostname),
  });
  await writeFile(keyPath, pair.key, { mode: 0o600 });
  await chmod(keyPath, 0o600);
  await writeFile(certPath, pair.cert, { mode: 0o644 });
  return { certPath, keyPath, cert: pair.cert, key: pair.key, generated: true };
}

/** Writes the webhook kubeconfig, creating its directory. */
export async function writeWebhookKubeconfig(path: string, certificatePem: string, serverUrl: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderWebhookKubeconfig(certificatePem, serverUrl), { mode: 0o644 });
}
