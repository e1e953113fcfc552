import { readFile } from 'node:fs/promises';
import { KubeiamError } from '../errors.js';
import { IamRegistry, RegistryError, type RegistryOptions } from './registry.js';

/**
 * Accounts, users with known access keys, and roles to start the emulator with. Users and roles
 * name their account with `accountId`, which may be left out when the seed lists one account.
 */
export interface Seed {
  readonly accounts: readonly SeedAccount[];
  readonly users: readonly SeedUser[];
  readonly roles: readonly SeedRole[];
}

export interface SeedAccount {
  readonly id: string;
  /** Default: `aws`. */
  readonly partition?: string;
}

export interface SeedUser {
  readonly name: string;
  readonly path?: string;
  readonly accountId?: string;
  readonly accessKeys: readonly SeedAccessKey[];
}

export interface SeedAccessKey {
  readonly id: string;
  readonly secret: string;
}

export interface SeedRole {
  readonly name: string;
  readonly path?: string;
  readonly accountId?: string;
  readonly trust: readonly string[];
  readonly externalId?: string;
  readonly maxSessionDurationSeconds?: number;
}

/** A seed that is not valid. `problems` lists each bad value with its location, such as `users[0].name`. */
export class SeedError extends KubeiamError {
  declare readonly code: 'SEED_INVALID';
  readonly problems: readonly string[];

  constructor(source: string, problems: readonly string[]) {
    super('SEED_INVALID', `seed ${source} is invalid:\n  ${problems.join('\n  ')}`, { source });
    this.name = 'SeedError';
    this.problems = problems;
  }
}

type Json = unknown;

/** Collects problems while a value is checked, so one run reports all of them. */
class Checker {
  readonly problems: string[] = [];

  object(path: string, value: Json, allowedKeys: readonly string[]): Record<string, Json> | undefined {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.problems.push(`${path} must be an object, got ${describe(value)}`);
      return undefined;
    }
    const record = value as Record<string, Json>;
    for (const key of Object.keys(record)) {
      if (!allowedKeys.includes(key)) this.problems.push(`${path}.${key} is not a known field; expected one of ${allowedKeys.join(', ')}`);
    }
    return record;
  }

  array(path: string, value: Json): readonly Json[] {
    if (value === undefined) return [];
    if (Array.isArray(value)) return value;
    this.problems.push(`${path} must be an array, got ${describe(value)}`);
    return [];
  }

  string(path: string, value: Json, required: boolean): string | undefined {
    if (value === undefined && !required) return undefined;
    if (typeof value === 'string') return value;
    this.problems.push(`${path} must be a string, got ${describe(value)}`);
    return undefined;
  }

  /** Like string, but never shows the value, because it is a secret. */
  secret(path: string, value: Json): string | undefined {
    if (typeof value === 'string') return value;
    this.problems.push(`${path} must be a string`);
    return undefined;
  }

  integer(path: string, value: Json): number | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'number' && Number.isInteger(value)) return value;
    this.problems.push(`${path} must be an integer, got ${describe(value)}`);
    return undefined;
  }
}

function describe(value: Json): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(value) ?? String(value);
}

/** Checks the shape of parsed JSON and returns it as a Seed, or throws SeedError listing every problem. */
export function parseSeed(value: Json, source = 'seed'): Seed {
  const checker = new Checker();
  const root = checker.object('seed', value, ['accounts', 'users', 'roles']) ?? {};

  const accounts = checker.array('accounts', root.accounts).map((entry, index) => parseAccount(checker, `accounts[${index}]`, entry));
  const users = checker.array('users', root.users).map((entry, index) => parseUser(checker, `users[${index}]`, entry));
  const roles = checker.array('roles', root.roles).map((entry, index) => parseRole(checker, `roles[${index}]`, entry));

  if (checker.problems.length > 0) throw new SeedError(source, checker.problems);
  return { accounts, users, roles };
}

function parseAccount(checker: Checker, path: string, value: Json): SeedAccount {
  const entry = checker.object(path, value, ['id', 'partition']) ?? {};
  const partition = checker.string(`${path}.partition`, entry.partition, false);
  return { id: checker.string(`${path}.id`, entry.id, true) ?? '', ...(partition === undefined ? {} : { partition }) };
}

function parseUser(checker: Checker, path: string, value: Json): SeedUser {
  const entry = checker.object(path, value, ['name', 'path', 'accountId', 'accessKeys']) ?? {};
  const accessKeys = checker.array(`${path}.accessKeys`, entry.accessKeys).map((key, index) => {
    const keyPath = `${path}.accessKeys[${index}]`;
    const fields = checker.object(keyPath, key, ['id', 'secret']) ?? {};
    return { id: checker.string(`${keyPath}.id`, fields.id, true) ?? '', secret: checker.secret(`${keyPath}.secret`, fields.secret) ?? '' };
  });
  return {
    name: checker.string(`${path}.name`, entry.name, true) ?? '',
    ...optional('path', checker.string(`${path}.path`, entry.path, false)),
    ...optional('accountId', checker.string(`${path}.accountId`, entry.accountId, false)),
    accessKeys,
  };
}

function parseRole(checker: Checker, path: string, value: Json): SeedRole {
  const entry = checker.object(path, value, ['name', 'path', 'accountId', 'trust', 'externalId', 'maxSessionDurationSeconds']) ?? {};
  if (entry.trust === undefined) checker.problems.push(`${path}.trust is missing; list the principal ARNs that may assume the role`);
  const trust = checker
    .array(`${path}.trust`, entry.trust)
    .map((arn, index) => checker.string(`${path}.trust[${index}]`, arn, true) ?? '');
  return {
    name: checker.string(`${path}.name`, entry.name, true) ?? '',
    ...optional('path', checker.string(`${path}.path`, entry.path, false)),
    ...optional('accountId', checker.string(`${path}.accountId`, entry.accountId, false)),
    trust,
    ...optional('externalId', checker.string(`${path}.externalId`, entry.externalId, false)),
    ...optional('maxSessionDurationSeconds', checker.integer(`${path}.maxSessionDurationSeconds`, entry.maxSessionDurationSeconds)),
  };
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>);
}

/**
 * Adds a seed's accounts, users, keys and roles to a registry. Registry rejections are collected
 * with the seed location of the bad entry and raised together as one SeedError.
 */
export function loadSeed(registry: IamRegistry, seed: Seed, source = 'seed'): void {
  const problems: string[] = [];
  const attempt = (path: string, action: () => void): void => {
    try {
      action();
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      problems.push(`${path}: ${error.message}`);
    }
  };

  seed.accounts.forEach((account, index) => attempt(`accounts[${index}]`, () => registry.addAccount(account)));
  const defaultAccount = seed.accounts.length === 1 ? seed.accounts[0]?.id : undefined;
  const accountOf = (accountId: string | undefined): string => {
    const resolved = accountId ?? defaultAccount;
    if (resolved === undefined) throw new RegistryError('REGISTRY_INVALID', 'accountId is missing; add it, because the seed does not list exactly one account');
    return resolved;
  };

  seed.users.forEach((user, index) => {
    const path = `users[${index}]`;
    attempt(path, () => {
      const accountId = accountOf(user.accountId);
      registry.createUser({ name: user.name, accountId, ...optional('path', user.path) });
      user.accessKeys.forEach((key, keyIndex) =>
        attempt(`${path}.accessKeys[${keyIndex}]`, () =>
          registry.createAccessKey(user.name, { accountId, accessKeyId: key.id, secretAccessKey: key.secret }),
        ),
      );
    });
  });

  seed.roles.forEach((role, index) => {
    const path = `roles[${index}]`;
    attempt(path, () => registry.createRole({ ...role, accountId: accountOf(role.accountId) }));
  });

  if (problems.length > 0) throw new SeedError(source, problems);
}

/** Reads a seed JSON file into a new registry. */
export async function registryFromSeedFile(file: string, options: RegistryOptions = {}): Promise<IamRegistry> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new SeedError(file, [`failed to read the file: ${(error as Error).message}`]);
  }

  let json: Json;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // The parser's message can quote the text around the error, which may be a secret key.
    const position = /position (\d+)/.exec((error as Error).message)?.[1];
    throw new SeedError(file, [`not valid JSON${position === undefined ? '' : ` (error at position ${position})`}`]);
  }

  const registry = new IamRegistry(options);
  loadSeed(registry, parseSeed(json, file), file);
  return registry;
}
