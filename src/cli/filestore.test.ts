import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { updateFile } from './filestore.js';

const NOW = () => new Date('2026-12-04T12:00:00Z');

describe('updateFile through a symbolic link', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeiam-filestore-'));
  });

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  const append = async (text: string | undefined) => ({ text: `${text ?? ''}new\n`, value: undefined });

  it('keeps the link, edits the target', async () => {
    writeFileSync(join(dir, 'real.yaml'), 'old\n');
    symlinkSync('real.yaml', join(dir, 'aws-auth.yaml'));

    const result = await updateFile(join(dir, 'aws-auth.yaml'), append, { now: NOW });

    expect(lstatSync(join(dir, 'aws-auth.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.yaml'), 'utf8')).toBe('old\nnew\n');
    expect(result.backupPath).toBe(join(dir, 'real.yaml.bak-20261204T120000Z'));
  });

  it('follows a chain of links', async () => {
    writeFileSync(join(dir, 'real.yaml'), 'old\n');
    symlinkSync('real.yaml', join(dir, 'middle.yaml'));
    symlinkSync(join(dir, 'middle.yaml'), join(dir, 'aws-auth.yaml'));

    await updateFile(join(dir, 'aws-auth.yaml'), append, { now: NOW });

    expect(lstatSync(join(dir, 'middle.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'real.yaml'), 'utf8')).toBe('old\nnew\n');
  });

  it('creates the target of a dangling link', async () => {
    symlinkSync('missing.yaml', join(dir, 'aws-auth.yaml'));

    await updateFile(join(dir, 'aws-auth.yaml'), append, { now: NOW });

    expect(lstatSync(join(dir, 'aws-auth.yaml')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(dir, 'missing.yaml'), 'utf8')).toBe('new\n');
  });

  it('rejects a link loop unchanged', async () => {
    symlinkSync('b.yaml', join(dir, 'a.yaml'));
    symlinkSync('a.yaml', join(dir, 'b.yaml'));

    await expect(updateFile(join(dir, 'a.yaml'), append, { now: NOW })).rejects.toThrow('more than 40 symbolic links');
    expect(readdirSync(dir).sort()).toEqual(['a.yaml', 'b.yaml']);
  });
});
