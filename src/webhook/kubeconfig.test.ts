import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { certificateNames, ensureStateDirMaterial, renderWebhookKubeconfig, webhookServerUrl, writeWebhookKubeconfig } from './kubeconfig.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-kubeconfig-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('webhookServerUrl', () => {
  it.each([
    ['example.com', 6443, 'https://example.com:6443/authenticate'],
    ['127.0.0.1', 8080, 'https://127.0.0.1:8080/authenticate'],
    ['2001:db8::1:0', 1234, 'https://[2001:db8::1:0]:1234/authenticate'],
  ])('webhookServerUrl %s %d', (host, port, expected) => {
    expect(webhookServerUrl(host, port)).toBe(expected);
  });
});

describe('certificateNames', () => {
  it.each([
    ['127.0.0.1', '127.0.0.1', [], ['127.0.0.1']],
    ['192.0.2.1', 'example.com', ['example.com'], ['192.0.2.1']],
    ['::', '2001:db8::1:0', [], ['2001:db8::1:0']],
    ['0.0.0.0', 'localhost', ['localhost'], []],
  ])('certificateNames %s %s', (address, hostname, dnsNames, ipAddresses) => {
    expect(certificateNames(address, hostname)).toEqual({ dnsNames, ipAddresses });
  });
});

describe('renderWebhookKubeconfig', () => {
  it('kubeconfig has the reference text', () => {
    const text = renderWebhookKubeconfig('PEM', 'https://localhost:21362/authenticate');
    expect(text).toBe(
      '\nclusters:\n  - name: aws-iam-authenticator\n    cluster:\n      certificate-authority-data: UEVN\n      server: https://localhost:21362/authenticate\n' +
        '# user refers to the API server client\nusers:\n  - name: apiserver\ncurrent-context: webhook\ncontexts:\n- name: webhook\n  context:\n    cluster: aws-iam-authenticator\n    user: apiserver\n',
    );
  });

  it('kubeconfig parses as YAML', () => {
    const parsed = parse(renderWebhookKubeconfig('PEM', 'https://h:1/authenticate')) as { clusters: Array<{ cluster: { server: string } }> };
    expect(parsed.clusters[0]?.cluster.server).toBe('https://h:1/authenticate');
  });
});

describe('ensureStateDirMaterial half pair', () => {
  it('refuses to replace a certificate whose key is missing', async () => {
    const stateDir = join(dir, 'half');
    const first = await ensureStateDirMaterial(stateDir, { address: '127.0.0.1', hostname: 'localhost' });
    rmSync(first.keyPath);
    await expect(ensureStateDirMaterial(stateDir, { address: '127.0.0.1', hostname: 'localhost' })).rejects.toThrow('key.pem is missing but');
    expect(readFileSync(first.certPath, 'utf8')).toBe(first.cert);
  });
});

describe('ensureStateDirMaterial', () => {
  it('state dir generates a reference key pair', async () => {
    const stateDir = join(dir, 'state');
    const material = await ensureStateDirMaterial(stateDir, { address: '192.0.2.1', hostname: 'example.com' });
    expect(material.generated).toBe(true);
    expect(material.key).toContain('-----BEGIN RSA PRIVATE KEY-----');
    expect(statSync(material.keyPath).mode & 0o777).toBe(0o600);
    const certificate = new X509Certificate(material.cert);
    expect(certificate.subject).toBe('CN=aws-iam-authenticator');
    expect(certificate.subjectAltName).toBe('DNS:example.com, IP Address:192.0.2.1');
    expect(certificate.ca).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(material.key))).toBe(true);
  });

  it('state dir reuses an existing pair', async () => {
    const stateDir = join(dir, 'reuse');
    const first = await ensureStateDirMaterial(stateDir, { address: '127.0.0.1', hostname: 'localhost' });
    const second = await ensureStateDirMaterial(stateDir, { address: '127.0.0.1', hostname: 'other' });
    expect(second.generated).toBe(false);
    expect(second.cert).toBe(first.cert);
  });

  it('state dir certificate without names has no SAN', async () => {
    const material = await ensureStateDirMaterial(join(dir, 'nosan'), { address: '0.0.0.0', hostname: '' });
    expect(new X509Certificate(material.cert).subjectAltName).toBeUndefined();
  });

  it('writeWebhookKubeconfig creates the directory', async () => {
    const path = join(dir, 'out', 'nested', 'kubeconfig.yaml');
    await writeWebhookKubeconfig(path, 'PEM', 'https://h:1/authenticate');
    expect(readFileSync(path, 'utf8')).toContain('server: https://h:1/authenticate');
  });
});
