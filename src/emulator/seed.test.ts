import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IamRegistry } from './registry.js';
import { SeedError, loadSeed, parseSeed, registryFromSeedFile } from './seed.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

const VALID_SEED = {
  accounts: [{ id: '111122223333', partition: 'aws' }],
  users: [
    { name: 'designated_user', path: '/', accessKeys: [{ id: 'AKIAIOSFODNN7EXAMPLE', secret: SECRET }] },
    { name: 'assume_role_user', accessKeys: [] },
  ],
  roles: [{ name: 'cluster_creator', path: '/', trust: ['arn:aws:iam::111122223333:user/assume_role_user'] }],
};

function seedError(run: () => unknown): SeedError {
  try {
    run();
  } catch (error) {
    if (error instanceof SeedError) return error;
    throw error;
  }
  throw new Error('expected a SeedError');
}

describe('parseSeed', () => {
  it('accepts a valid seed', () => {
    expect(parseSeed(VALID_SEED)).toEqual({
      accounts: [{ id: '111122223333', partition: 'aws' }],
      users: [
        { name: 'designated_user', path: '/', accessKeys: [{ id: 'AKIAIOSFODNN7EXAMPLE', secret: SECRET }] },
        { name: 'assume_role_user', accessKeys: [] },
      ],
      roles: [{ name: 'cluster_creator', path: '/', trust: ['arn:aws:iam::111122223333:user/assume_role_user'] }],
    });
  });

  it.each([
    ['root not an object', [], 'seed must be an object, got []'],
    ['unknown root field', { accounts: [], groups: [] }, 'seed.groups is not a known field; expected one of accounts, users, roles'],
    ['users not an array', { users: {} }, 'users must be an array, got {}'],
    ['user name a number', { users: [{ name: 7 }] }, 'users[0].name must be a string, got 7'],
    ['key id missing', { users: [{ name: 'a', accessKeys: [{ secret: SECRET }] }] }, 'users[0].accessKeys[0].id must be a string, got nothing'],
    ['role without trust', { roles: [{ name: 'r' }] }, 'roles[0].trust is missing; list the principal ARNs that may assume the role'],
    ['trust entry a number', { roles: [{ name: 'r', trust: [1] }] }, 'roles[0].trust[0] must be a string, got 1'],
    ['fractional max session', { roles: [{ name: 'r', trust: [], maxSessionDurationSeconds: 1.5 }] }, 'roles[0].maxSessionDurationSeconds must be an integer, got 1.5'],
  ])('rejects %s', (_case, seed, problem) => {
    expect(seedError(() => parseSeed(seed)).problems).toContain(problem);
  });

  it('reports every problem at once', () => {
    const error = seedError(() => parseSeed({ users: [{ name: 1 }], roles: [{ name: 2, trust: [] }] }));
    expect(error.problems).toHaveLength(2);
  });

  it('never shows a secret that is not a string', () => {
    const error = seedError(() => parseSeed({ users: [{ name: 'a', accessKeys: [{ id: 'AKIAIOSFODNN7EXAMPLE', secret: 12345678 }] }] }));
    expect(error.problems).toEqual(['users[0].accessKeys[0].secret must be a string']);
  });
});

describe('loadSeed', () => {
  it('creates users, keys and roles', () => {
    const registry = new IamRegistry();
    loadSeed(registry, parseSeed(VALID_SEED));
    expect(registry.lookupAccessKey('AKIAIOSFODNN7EXAMPLE', 'aws')?.identity.arn).toBe(
      'arn:aws:iam::111122223333:user/designated_user',
    );
    expect(registry.findRole('arn:aws:iam::111122223333:role/cluster_creator')?.trust).toEqual([
      'arn:aws:iam::111122223333:user/assume_role_user',
    ]);
  });

  it('uses the account partition', () => {
    const registry = new IamRegistry();
    loadSeed(registry, parseSeed({ ...VALID_SEED, accounts: [{ id: '111122223333', partition: 'aws-cn' }] }));
    expect(registry.lookupAccessKey('AKIAIOSFODNN7EXAMPLE', 'aws-cn')?.identity.arn).toBe(
      'arn:aws-cn:iam::111122223333:user/designated_user',
    );
  });

  it('names the entry with a bad value', () => {
    const seed = parseSeed({ ...VALID_SEED, users: [{ name: 'bad name', accessKeys: [] }] });
    expect(seedError(() => loadSeed(new IamRegistry(), seed)).problems).toEqual([
      "users[0]: user name 'bad name' is invalid: expected 1–64 characters of A-Za-z0-9_+=,.@-",
    ]);
  });

  it('names a bad access key', () => {
    const seed = parseSeed({ ...VALID_SEED, users: [{ name: 'a', accessKeys: [{ id: 'AKIA-bad', secret: SECRET }] }] });
    const problems = seedError(() => loadSeed(new IamRegistry(), seed)).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^users\[0\]\.accessKeys\[0\]: access key id AKIA-bad must be AKIA/);
  });

  it('needs accountId with several accounts', () => {
    const seed = parseSeed({ accounts: [{ id: '111122223333' }, { id: '444455556666' }], users: [{ name: 'a' }] });
    expect(seedError(() => loadSeed(new IamRegistry(), seed)).problems).toEqual([
      'users[0]: accountId is missing; add it, because the seed does not list exactly one account',
    ]);
  });

  it('names an unknown partition', () => {
    const seed = parseSeed({ accounts: [{ id: '111122223333', partition: 'aws-moon' }] });
    expect(seedError(() => loadSeed(new IamRegistry(), seed)).problems).toEqual([
      "accounts[0]: partition 'aws-moon' of account 111122223333 is not a known AWS partition",
    ]);
  });

  it('secret never appears in a problem', () => {
    const seed = parseSeed({ ...VALID_SEED, users: [{ name: 'a', accessKeys: [{ id: 'AKIAIOSFODNN7EXAMPLE', secret: 'private-but-short' }] }] });
    const error = seedError(() => loadSeed(new IamRegistry(), seed));
    expect(error.message).not.toContain('private-but-short');
  });
});

describe('registryFromSeedFile', () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'kubeiam-seed-'));
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('loads a seed file', async () => {
    const file = join(directory, 'seed.json');
    writeFileSync(file, JSON.stringify(VALID_SEED));
    const registry = await registryFromSeedFile(file);
    expect(registry.lookupAccessKey('AKIAIOSFODNN7EXAMPLE', 'aws')).toBeDefined();
  });

  it('rejects invalid JSON without quoting it', async () => {
    const file = join(directory, 'broken.json');
    writeFileSync(file, `{"users": [{"accessKeys": [{"secret": "${SECRET}" x}]}]}`);
    const error = await registryFromSeedFile(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SeedError);
    expect((error as SeedError).message).toMatch(/not valid JSON/);
    expect((error as SeedError).message).not.toContain(SECRET);
  });

  it('names a missing file', async () => {
    const file = join(directory, 'missing.json');
    await expect(registryFromSeedFile(file)).rejects.toThrow(`seed ${file} is invalid`);
  });
});
