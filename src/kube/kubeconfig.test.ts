import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKubeConfig } from './kubeconfig.js';

function kubeconfig(context: string, server: string): string {
  return `apiVersion: v1
kind: Config
clusters:
- name: ${context}-cluster
  cluster:
    server: ${server}
users:
- name: ${context}-user
  user:
    token: t
contexts:
- name: ${context}
  context:
    cluster: ${context}-cluster
    user: ${context}-user
current-context: ${context}
`;
}

describe('loadKubeConfig', () => {
  let dir: string;
  const first = (): string => join(dir, 'first');
  const second = (): string => join(dir, 'second');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeiam-kubeconfig-'));
    writeFileSync(first(), kubeconfig('one', 'https://127.0.0.1:1'));
    writeFileSync(second(), kubeconfig('two', 'https://127.0.0.1:2'));
    mkdirSync(join(dir, 'home', '.kube'), { recursive: true });
    writeFileSync(join(dir, 'home', '.kube', 'config'), kubeconfig('home', 'https://127.0.0.1:3'));
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('loadKubeConfig explicit path wins', async () => {
    const loaded = await loadKubeConfig({ kubeconfig: 'first', env: { KUBECONFIG: second(), HOME: join(dir, 'home') }, cwd: dir });
    expect(loaded.server).toBe('https://127.0.0.1:1');
  });

  it('loadKubeConfig merges KUBECONFIG list', async () => {
    const loaded = await loadKubeConfig({ env: { KUBECONFIG: `${first()}:${second()}` }, cwd: dir });
    expect(loaded.context).toBe('one');
    expect(loaded.kubeConfig.getContexts().map((context) => context.name)).toEqual(['one', 'two']);
  });

  it('loadKubeConfig context selects cluster', async () => {
    const loaded = await loadKubeConfig({ context: 'two', env: { KUBECONFIG: `${first()}:${second()}` }, cwd: dir });
    expect(loaded.server).toBe('https://127.0.0.1:2');
  });

  it('loadKubeConfig falls back to HOME', async () => {
    expect((await loadKubeConfig({ env: { HOME: join(dir, 'home') }, cwd: dir })).context).toBe('home');
  });

  it.each([
    ['aws eks get-token', ['eks', 'get-token', '--cluster-name', 'c', '--role-arn', 'arn:aws:iam::111122223333:role/Admin'], ['arn:aws:iam::111122223333:role/Admin']],
    ['inline value', ['token', '--role-arn=arn:aws:iam::111122223333:role/Ops'], ['arn:aws:iam::111122223333:role/Ops']],
    ['aws-iam-authenticator', ['token', '-i', 'c', '-r', 'arn:aws:iam::111122223333:role/Dev'], ['arn:aws:iam::111122223333:role/Dev']],
    ['no role', ['eks', 'get-token', '--cluster-name', 'c'], []],
  ])('loadKubeConfig exec role from %s', async (_name, args, expected) => {
    const path = join(dir, `exec-${expected.length}-${args.length}`);
    const execUser = `  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1beta1\n      command: aws\n      args: ${JSON.stringify(args)}\n`;
    writeFileSync(path, kubeconfig('exec', 'https://127.0.0.1:4').replace('  user:\n    token: t\n', execUser));
    expect((await loadKubeConfig({ kubeconfig: path, env: {}, cwd: dir })).execRoleArns).toEqual(expected);
  });

  it('loadKubeConfig unknown context fails', async () => {
    await expect(loadKubeConfig({ kubeconfig: first(), context: 'prod', env: {}, cwd: dir })).rejects.toThrow("context 'prod' is not in");
  });

  it('loadKubeConfig missing file fails', async () => {
    await expect(loadKubeConfig({ kubeconfig: 'absent', env: {}, cwd: dir })).rejects.toThrow('no kubeconfig found at');
  });

  it('loadKubeConfig nothing found fails', async () => {
    await expect(loadKubeConfig({ env: { HOME: join(dir, 'empty') }, cwd: dir })).rejects.toThrow(expect.objectContaining({ code: 'KUBECONFIG_NOT_FOUND' }));
  });
});
