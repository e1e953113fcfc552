import { isPartitionId, parsePrincipal, type PartitionId } from '../arn/index.js';
import { KubeiamError } from '../errors.js';
import { ROLE_SESSION_NAME_LENGTH, ROLE_SESSION_NAME_PATTERN } from './constants.js';
import {
  cryptoRandomBytes,
  randomIamId,
  randomSecretAccessKey,
  randomSessionToken,
  type RandomBytes,
} from './ids.js';
import type { SigningCredentials } from './sigv4.js';

export type RegistryErrorCode = 'REGISTRY_INVALID' | 'REGISTRY_CONFLICT' | 'REGISTRY_NOT_FOUND';

/** A registry call with a bad value, a duplicate name or key, or a reference to nothing. */
export class RegistryError extends KubeiamError {
  declare readonly code: RegistryErrorCode;

  constructor(code: RegistryErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'RegistryError';
  }
}

export interface IamAccount {
  readonly id: string;
  readonly partition: PartitionId;
}

export interface IamUser {
  readonly name: string;
  readonly path: string;
  readonly accountId: string;
  readonly arn: string;
  /** Unique id, `AIDA` and 17 characters. */
  readonly userId: string;
}

export interface IamRole {
  readonly name: string;
  readonly path: string;
  readonly accountId: string;
  /** Role ARN including the path. */
  readonly arn: string;
  /** Unique id, `AROA` and 17 characters. */
  readonly roleId: string;
  /** Principal ARNs allowed to assume the role: users, roles, role sessions or an account's root. */
  readonly trust: readonly string[];
  /** ExternalId every AssumeRole call must pass, when set. */
  readonly externalId: string | undefined;
  readonly maxSessionDurationSeconds: number;
}

export interface AccessKeyPair {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export interface TemporaryCredentials extends AccessKeyPair {
  readonly sessionToken: string;
  readonly expiration: Date;
}

/** The identity requests signed with an access key run as, in GetCallerIdentity terms. */
export interface CallerIdentity {
  /** The user ARN, or for a role session `arn:<p>:sts::<account>:assumed-role/<role name>/<session>`. */
  readonly arn: string;
  /** The user id, or for a role session `<role id>:<session>`. */
  readonly userId: string;
  readonly accountId: string;
  readonly partition: PartitionId;
  /** The IAM ARN trust policies name: the user's, or the assumed role's (with its path). */
  readonly principalArn: string;
  /** Credentials of a role session; assuming a role with them is role chaining. */
  readonly isRoleSession: boolean;
}

export interface RoleSession {
  readonly role: IamRole;
  readonly sessionName: string;
  readonly identity: CallerIdentity;
  readonly credentials: TemporaryCredentials;
}

/** An access key with its secret and the identity it signs as. */
export interface AccessKeyRecord extends SigningCredentials {
  readonly identity: CallerIdentity;
}

export interface CreateUserInput {
  readonly name: string;
  /** IAM path. Default: `/`. */
  readonly path?: string;
  readonly accountId: string;
}

export interface CreateAccessKeyOptions {
  /** Account of the user, needed only when several accounts have a user of that name. */
  readonly accountId?: string;
  /** A known key pair (for example the AWS documentation keys) instead of a random one. */
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
}

export interface CreateRoleInput {
  readonly name: string;
  /** IAM path. Default: `/`. */
  readonly path?: string;
  readonly accountId: string;
  readonly trust: readonly string[];
  readonly externalId?: string;
  /** Maximum session AssumeRole may grant, 3600–43200 seconds. Default: 3600. */
  readonly maxSessionDurationSeconds?: number;
}

export interface IssueSessionInput {
  readonly role: IamRole;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly now: Date;
}

export interface AddSessionInput {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly credentials: TemporaryCredentials;
}

export interface RegistryOptions {
  /** Source of ids and secrets. Default: node:crypto randomBytes. */
  readonly random?: RandomBytes;
}

const ACCOUNT_ID_PATTERN = /^\d{12}$/;
const IAM_NAME_PATTERN = /^[\w+=,.@-]{1,64}$/;
const IAM_PATH_PATTERN = /^\/(?:[\x21-\x7e]+\/)?$/;
const LONG_TERM_KEY_ID_PATTERN = /^AKIA[A-Z0-9]{16}$/;
const TEMPORARY_KEY_ID_PATTERN = /^ASIA[A-Z0-9]{16}$/;
const SECRET_KEY_PATTERN = /^[A-Za-z0-9+/]{40}$/;
const MIN_MAX_SESSION_SECONDS = 60 * 60;
const MAX_MAX_SESSION_SECONDS = 12 * 60 * 60;
/** Expired sessions stay this long, so requests signed with them still get ExpiredToken. */
const EXPIRED_SESSION_RETENTION_MS = 24 * 60 * 60 * 1000;

/**
 * An in-memory IAM: accounts with a partition, users with access keys, roles with a trust list, and
 * the temporary credentials of role sessions. Access keys are looked up per partition because
 * partitions are separate key spaces (the AWS example key is valid in each of them).
 */
export class IamRegistry {
  readonly #random: RandomBytes;
  readonly #accounts = new Map<string, IamAccount>();
  readonly #users = new Map<string, IamUser>();
  readonly #roles = new Map<string, IamRole>();
  readonly #keys = new Map<string, AccessKeyRecord>();

  constructor(options: RegistryOptions = {}) {
    this.#random = options.random ?? cryptoRandomBytes;
  }

  /** Registers an account. An account first named by createUser or createRole gets partition `aws`. */
  addAccount(input: { id: string; partition?: string }): IamAccount {
    const partition = input.partition ?? 'aws';
    requireMatch('account id', input.id, ACCOUNT_ID_PATTERN, 'exactly 12 digits');
    if (!isPartitionId(partition)) {
      throw new RegistryError('REGISTRY_INVALID', `partition '${partition}' of account ${input.id} is not a known AWS partition`);
    }

    const existing = this.#accounts.get(input.id);
    if (existing !== undefined && existing.partition !== partition) {
      throw new RegistryError(
        'REGISTRY_CONFLICT',
        `account ${input.id} is already registered in partition ${existing.partition}, not ${partition}`,
      );
    }
    const account = existing ?? { id: input.id, partition };
    this.#accounts.set(account.id, account);
    return account;
  }

  createUser(input: CreateUserInput): IamUser {
    const path = input.path ?? '/';
    requireMatch('user name', input.name, IAM_NAME_PATTERN, '1–64 characters of A-Za-z0-9_+=,.@-');
    requireMatch('user path', path, IAM_PATH_PATTERN, "'/' or '/<text>/' in printable ASCII");
    const account = this.#account(input.accountId);

    const key = `${account.id}/${input.name}`;
    if (this.#users.has(key)) {
      throw new RegistryError('REGISTRY_CONFLICT', `user ${input.name} already exists in account ${account.id}`);
    }
    const user: IamUser = {
      name: input.name,
      path,
      accountId: account.id,
      arn: `arn:${account.partition}:iam::${account.id}:user${path}${input.name}`,
      userId: this.#uniqueId('AIDA'),
    };
    this.#users.set(key, user);
    return user;
  }

  /** Issues an access key for a user, or registers the given key pair. */
  createAccessKey(userName: string, options: CreateAccessKeyOptions = {}): AccessKeyPair {
    const user = this.#findUser(userName, options.accountId);
    const partition = this.#account(user.accountId).partition;
    const pair = this.#newKeyPair('AKIA', options);
    if (!LONG_TERM_KEY_ID_PATTERN.test(pair.accessKeyId)) {
      throw new RegistryError('REGISTRY_INVALID', `access key id ${pair.accessKeyId} must be AKIA followed by 16 upper-case letters or digits`);
    }

    const identity: CallerIdentity = {
      arn: user.arn,
      userId: user.userId,
      accountId: user.accountId,
      partition,
      principalArn: user.arn,
      isRoleSession: false,
    };
    this.#storeKey({ ...pair, identity });
    return pair;
  }

  createRole(input: CreateRoleInput): IamRole {
    const path = input.path ?? '/';
    const maxSession = input.maxSessionDurationSeconds ?? MIN_MAX_SESSION_SECONDS;
    requireMatch('role name', input.name, IAM_NAME_PATTERN, '1–64 characters of A-Za-z0-9_+=,.@-');
    requireMatch('role path', path, IAM_PATH_PATTERN, "'/' or '/<text>/' in printable ASCII");
    checkMaxSessionDuration(input.name, maxSession);
    input.trust.forEach(checkTrustEntry);
    const account = this.#account(input.accountId);

    const arn = `arn:${account.partition}:iam::${account.id}:role${path}${input.name}`;
    if ([...this.#roles.values()].some((role) => role.accountId === account.id && role.name === input.name)) {
      throw new RegistryError('REGISTRY_CONFLICT', `role ${input.name} already exists in account ${account.id}`);
    }
    const role: IamRole = {
      name: input.name,
      path,
      accountId: account.id,
      arn,
      roleId: this.#uniqueId('AROA'),
      trust: [...input.trust],
      externalId: input.externalId,
      maxSessionDurationSeconds: maxSession,
    };
    this.#roles.set(arn, role);
    return role;
  }

  /** Finds a role by its exact ARN, path included. */
  findRole(roleArn: string): IamRole | undefined {
    return this.#roles.get(roleArn);
  }

  /**
   * Reports whether the role's trust list admits the caller: its user or role ARN, its exact
   * session ARN, or the root of its account. Unlike IAM, no identity policy of the caller is checked.
   */
  trusts(role: IamRole, caller: CallerIdentity): boolean {
    const accountRoot = `arn:${caller.partition}:iam::${caller.accountId}:root`;
    return role.trust.some((entry) => entry === caller.principalArn || entry === caller.arn || entry === accountRoot);
  }

  /** Creates a role session with new temporary credentials that expire `durationSeconds` after `now`. */
  issueRoleSession(input: IssueSessionInput): RoleSession {
    this.#dropExpiredSessions(input.now);
    const pair = this.#newKeyPair('ASIA', {});
    const credentials: TemporaryCredentials = {
      ...pair,
      sessionToken: randomSessionToken(this.#random),
      expiration: new Date(input.now.getTime() + input.durationSeconds * 1000),
    };
    return this.#storeSession(input.role, input.sessionName, credentials);
  }

  /** Registers known temporary credentials (for example from recorded tokens) as a session of a role. */
  addRoleSession(input: AddSessionInput): RoleSession {
    const role = this.findRole(input.roleArn);
    if (role === undefined) {
      throw new RegistryError('REGISTRY_NOT_FOUND', `role ${input.roleArn} does not exist; create it with createRole first`);
    }
    checkSessionName(input.sessionName);
    requireMatch('access key id', input.credentials.accessKeyId, TEMPORARY_KEY_ID_PATTERN, 'ASIA followed by 16 upper-case letters or digits');
    requireMatch('secret access key', input.credentials.secretAccessKey, SECRET_KEY_PATTERN, '40 base64 characters', false);
    if (input.credentials.sessionToken === '') {
      throw new RegistryError('REGISTRY_INVALID', `session token of ${input.credentials.accessKeyId} is empty`);
    }
    return this.#storeSession(role, input.sessionName, input.credentials);
  }

  /** Finds an access key in a partition, with its secret and identity. */
  lookupAccessKey(accessKeyId: string, partition: PartitionId): AccessKeyRecord | undefined {
    return this.#keys.get(`${partition}/${accessKeyId}`);
  }

  #storeSession(role: IamRole, sessionName: string, credentials: TemporaryCredentials): RoleSession {
    const partition = this.#account(role.accountId).partition;
    const identity: CallerIdentity = {
      arn: `arn:${partition}:sts::${role.accountId}:assumed-role/${role.name}/${sessionName}`,
      userId: `${role.roleId}:${sessionName}`,
      accountId: role.accountId,
      partition,
      principalArn: role.arn,
      isRoleSession: true,
    };
    this.#storeKey({ ...credentials, identity });
    return { role, sessionName, identity, credentials };
  }

  #storeKey(record: AccessKeyRecord): void {
    const key = `${record.identity.partition}/${record.accessKeyId}`;
    if (this.#keys.has(key)) {
      throw new RegistryError(
        'REGISTRY_CONFLICT',
        `access key ${record.accessKeyId} is already registered in partition ${record.identity.partition}`,
      );
    }
    this.#keys.set(key, record);
  }

  #newKeyPair(prefix: 'AKIA' | 'ASIA', options: CreateAccessKeyOptions): AccessKeyPair {
    if ((options.accessKeyId === undefined) !== (options.secretAccessKey === undefined)) {
      throw new RegistryError('REGISTRY_INVALID', 'a known key pair needs both accessKeyId and secretAccessKey');
    }
    if (options.accessKeyId !== undefined && options.secretAccessKey !== undefined) {
      requireMatch('secret access key', options.secretAccessKey, SECRET_KEY_PATTERN, '40 base64 characters', false);
      return { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey };
    }
    return { accessKeyId: this.#uniqueId(prefix, 20), secretAccessKey: randomSecretAccessKey(this.#random) };
  }

  #uniqueId(prefix: string, length = 21): string {
    return randomIamId(this.#random, prefix, length);
  }

  #account(accountId: string): IamAccount {
    return this.#accounts.get(accountId) ?? this.addAccount({ id: accountId });
  }

  #findUser(userName: string, accountId: string | undefined): IamUser {
    const matches = [...this.#users.values()].filter(
      (user) => user.name === userName && (accountId === undefined || user.accountId === accountId),
    );
    const [user] = matches;
    if (user === undefined) {
      throw new RegistryError('REGISTRY_NOT_FOUND', `user ${userName} does not exist; create it with createUser first`);
    }
    if (matches.length > 1) {
      throw new RegistryError('REGISTRY_INVALID', `user ${userName} exists in several accounts; pass accountId`);
    }
    return user;
  }

  #dropExpiredSessions(now: Date): void {
    for (const [key, record] of this.#keys) {
      const expiration = record.expiration?.getTime();
      if (expiration !== undefined && expiration + EXPIRED_SESSION_RETENTION_MS < now.getTime()) {
        this.#keys.delete(key);
      }
    }
  }
}

/** Rejects a value that does not match; `showValue: false` keeps secrets out of the message. */
function requireMatch(field: string, value: string, pattern: RegExp, expected: string, showValue = true): void {
  if (pattern.test(value)) return;
  const shown = showValue ? ` '${value}'` : '';
  throw new RegistryError('REGISTRY_INVALID', `${field}${shown} is invalid: expected ${expected}`);
}

function checkMaxSessionDuration(roleName: string, seconds: number): void {
  if (Number.isInteger(seconds) && seconds >= MIN_MAX_SESSION_SECONDS && seconds <= MAX_MAX_SESSION_SECONDS) return;
  throw new RegistryError(
    'REGISTRY_INVALID',
    `maxSessionDurationSeconds ${seconds} of role ${roleName} is invalid: expected an integer from ${MIN_MAX_SESSION_SECONDS} to ${MAX_MAX_SESSION_SECONDS}`,
  );
}

function checkTrustEntry(entry: string): void {
  let type: string;
  try {
    type = parsePrincipal(entry).type;
  } catch (error) {
    throw new RegistryError('REGISTRY_INVALID', `trust entry '${entry}' is not a principal ARN: ${(error as Error).message}`);
  }
  if (type === 'FEDERATED_USER') {
    throw new RegistryError('REGISTRY_INVALID', `trust entry '${entry}' is a federated user; expected a user, role, role session or root ARN`);
  }
}

function checkSessionName(name: string): void {
  const { min, max } = ROLE_SESSION_NAME_LENGTH;
  if (ROLE_SESSION_NAME_PATTERN.test(name) && name.length >= min && name.length <= max) return;
  throw new RegistryError('REGISTRY_INVALID', `role session name '${name}' is invalid: expected ${min}–${max} characters of A-Za-z0-9_+=,.@-`);
}
