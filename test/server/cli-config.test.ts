import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kubeiam-cli-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('kubeiam serve configuration errors', () => {
  it.each([
    ['missing cluster ID', 'server:\n  port: 21362\n', 'cluster ID cannot be empty'],
    ['invalid partition', 'clusterID: c\nserver:\n  partition: aws-nk\n', 'invalid partition "aws-nk"'],
    ['invalid backend mode', 'clusterID: c\nserver:\n  backendMode: [ModeFoo]\n', 'backend-mode "ModeFoo" is not a valid mode'],
    ['duplicate backend mode', 'clusterID: c\nserver:\n  backendMode: [MountedFile, MountedFile]\n', 'has duplicates'],
    ['DynamicFile without path', 'clusterID: c\nserver:\n  backendMode: [DynamicFile]\n', 'dynamicfilepath is not set'],
    ['path without DynamicFile', 'clusterID: c\nserver:\n  dynamicfilepath: /x.json\n', 'dynamicfile is not set in backend-mode'],
  ])('serve config %s exits 1', async (name, text, message) => {
    const path = configFile(`${name.replaceAll(' ', '-')}.yaml`, text);
    const result = await runCli(['serve', '-c', path]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(message);
  });

  it('serve unreadable config exits 1', async () => {
    const result = await runCli(['serve', '-c', join(dir, 'missing.yaml')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cannot read configuration file');
  });

  it('serve flag overrides the file', async () => {
    const path = configFile('override.yaml', 'clusterID: c\nserver:\n  partition: aws-nk\n');
    const result = await runCli(['serve', '-c', path, '--partition', 'aws', '--backend-mode', 'ModeBar']);
    expect(result.stderr).toContain('backend-mode "ModeBar" is not a valid mode');
  });

  it('serve reads the EC2 rate-limit flags', async () => {
    const result = await runCli(['serve', '-i', 'c', '--ec2-describeInstances-qps', '3', '--ec2-describeInstances-burst', '0']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('server.ec2DescribeInstancesBurst must be at least 1 when server.ec2DescribeInstancesQps is 3');
  });

  it('serve help lists the config flag', async () => {
    const result = await runCli(['serve', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-c, --config <file>');
    expect(result.stdout).toContain('--backend-mode <list>');
  });

  it('serve invalid token cache TTL exits 2', async () => {
    const result = await runCli(['serve', '-i', 'c', '--state-dir', join(dir, 'ttl'), '--token-cache-ttl', 'soon']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--token-cache-ttl');
  });
});

describe('kubeiam init', () => {
  it('init writes key pair and kubeconfig', async () => {
    const stateDir = join(dir, 'init-state');
    const kubeconfig = join(dir, 'init-out', 'webhook.kubeconfig');
    const result = await runCli(['init', '-i', 'demo', '--hostname', 'example.com', '--address', '192.0.2.1', '--state-dir', stateDir, '--kubeconfig-out', kubeconfig]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`--authentication-token-webhook-config-file=${kubeconfig}`);

    expect(statSync(join(stateDir, 'key.pem')).mode & 0o777).toBe(0o600);
    const cert = readFileSync(join(stateDir, 'cert.pem'), 'utf8');
    expect(new X509Certificate(cert).subjectAltName).toBe('DNS:example.com, IP Address:192.0.2.1');

    const text = readFileSync(kubeconfig, 'utf8');
    expect(text.startsWith('\nclusters:\n')).toBe(true);
    const parsed = parse(text) as { clusters: Array<{ cluster: Record<string, string> }>; 'current-context': string };
    expect(parsed.clusters[0]?.cluster['server']).toBe('https://example.com:21362/authenticate');
    expect(Buffer.from(parsed.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString('utf8')).toBe(cert);
    expect(parsed['current-context']).toBe('webhook');
  });

  it('init brackets an IPv6 hostname', async () => {
    const kubeconfig = join(dir, 'v6.kubeconfig');
    const result = await runCli(['init', '-i', 'demo', '--hostname', '2001:db8::1:0', '--address', '::', '--port', '1234', '--state-dir', join(dir, 'v6'), '--kubeconfig-out', kubeconfig]);
    expect(result.code).toBe(0);
    expect(readFileSync(kubeconfig, 'utf8')).toContain('server: https://[2001:db8::1:0]:1234/authenticate');
    expect(new X509Certificate(readFileSync(join(dir, 'v6', 'cert.pem'))).subjectAltName).toBe('IP Address:2001:DB8:0:0:0:0:1:0');
  });

  it('init keeps an existing key pair', async () => {
    const stateDir = join(dir, 'keep');
    await runCli(['init', '-i', 'demo', '--state-dir', stateDir, '--kubeconfig-out', join(dir, 'keep.kubeconfig')]);
    const first = readFileSync(join(stateDir, 'cert.pem'), 'utf8');
    const result = await runCli(['init', '-i', 'demo', '--state-dir', stateDir, '--kubeconfig-out', join(dir, 'keep.kubeconfig')]);
    expect(result.stdout).toContain('kept the existing key pair');
    expect(readFileSync(join(stateDir, 'cert.pem'), 'utf8')).toBe(first);
  });

  it('init reads the configuration file', async () => {
    const path = configFile('init.yaml', `clusterID: demo\nserver:\n  hostname: cfg.example\n  port: 9443\n  stateDir: ${join(dir, 'cfg-state')}\n  generateKubeconfig: ${join(dir, 'cfg.kubeconfig')}\n`);
    const result = await runCli(['init', '-c', path]);
    expect(result.code).toBe(0);
    expect(readFileSync(join(dir, 'cfg.kubeconfig'), 'utf8')).toContain('server: https://cfg.example:9443/authenticate');
  });

  it('init without cluster ID exits 1', async () => {
    const result = await runCli(['init', '--state-dir', join(dir, 'none')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('cluster ID cannot be empty');
  });
});
