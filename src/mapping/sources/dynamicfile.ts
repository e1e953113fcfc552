import type { Identity } from '../../arn/identity.js';
import { canonicalize, stripPath } from '../../arn/index.js';
import { toRoleMapping, toUserMapping } from '../../awsauth/entries.js';
import { decodeStruct, ROLE_MAPPING_TYPE, USER_MAPPING_TYPE, type DecodedFields, type StructType } from '../../awsauth/godecode.js';
import { parseGoYaml } from '../../awsauth/goyaml.js';
import { KubeiamError } from '../../errors.js';
import type { EntryOrigin, EntryVerdict, MappingSource, MatchedMapping, RoleMapping, UserMapping } from '../types.js';

/** The access-entries file as aws-iam-authenticator's DynamicFile backend reads it. */
export interface DynamicFileContent {
  /** Unix seconds as a string; the time the writer last changed the file. */
  readonly lastUpdatedDateTime: string;
  readonly version: string;
  readonly roles: readonly RoleMapping[];
  readonly users: readonly UserMapping[];
  readonly accounts: readonly string[];
}

export type DynamicFileParseResult =
  | { readonly ok: true; readonly content: DynamicFileContent }
  | { readonly ok: false; readonly error: string };

const DYNAMIC_FILE_TYPE: StructType = {
  goName: 'dynamicfile.DynamicFileData',
  fields: {
    LastUpdatedDateTime: 'string',
    Version: 'string',
    mapRoles: { list: ROLE_MAPPING_TYPE },
    mapUsers: { list: USER_MAPPING_TYPE },
    mapAccounts: 'strings',
  },
};

function decodedList(fields: DecodedFields, name: string): DecodedFields[] {
  const value = fields[name];
  return Array.isArray(value) ? value.filter((item): item is DecodedFields => typeof item === 'object') : [];
}

/**
 * Parses the access-entries JSON file with encoding/json's rules: keys match case-insensitively,
 * unknown keys (`ClusterId`) are ignored, and any syntax or type error (a numeric timestamp or account
 * ID) rejects the whole file. No entry validation is done, so SSO entries are not supported here.
 */
export function parseDynamicFile(text: string): DynamicFileParseResult {
  try {
    JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `invalid JSON: ${(error as Error).message}` };
  }
  const parsed = parseGoYaml(text, 'document');
  if (!parsed.ok) return { ok: false, error: parsed.error.message };
  const decoded = decodeStruct(parsed.value, DYNAMIC_FILE_TYPE);
  const issue = decoded.issues[0];
  if (issue !== undefined) return { ok: false, error: issue.goMessage };

  const fields = decoded.fields;
  const accounts = fields['mapAccounts'];
  return {
    ok: true,
    content: {
      lastUpdatedDateTime: typeof fields['LastUpdatedDateTime'] === 'string' ? fields['LastUpdatedDateTime'] : '',
      version: typeof fields['Version'] === 'string' ? fields['Version'] : '',
      roles: decodedList(fields, 'mapRoles').map(toRoleMapping),
      users: decodedList(fields, 'mapUsers').map(toUserMapping),
      accounts: Array.isArray(accounts) ? accounts.filter((account): account is string => typeof account === 'string') : [],
    },
  };
}

export interface DynamicFileOptions {
  /** Source name in messages. Default: `DynamicFile`. */
  readonly name?: string;
  /** Key entries by `userid` and check their ARN against it (`server.dynamicfileUserIDStrict`). Default: false. */
  readonly userIdStrict?: boolean;
  /** Usernames with these prefixes are denied. Default: none. */
  readonly reservedPrefixes?: readonly string[];
}

/** A DynamicFile source. It keeps the last file that loaded, like the authenticator's watcher. */
export interface DynamicFileSource extends MappingSource {
  /** Parses and installs a new file; on any error the previous mappings stay and the error is returned. */
  load(text: string): DynamicFileParseResult;
  /** Empties every mapping, as when the file is deleted. */
  clear(): void;
  readonly roleKeys: () => readonly string[];
  readonly userKeys: () => readonly string[];
}

interface Stored<Mapping> {
  readonly mapping: Mapping;
  readonly origin: EntryOrigin;
}

interface Snapshot {
  readonly roles: Map<string, Stored<RoleMapping>>;
  readonly users: Map<string, Stored<UserMapping>>;
  readonly accounts: Set<string>;
}

const EMPTY: Snapshot = { roles: new Map(), users: new Map(), accounts: new Set() };

function canonicalKey(arn: string): string {
  try {
    return canonicalize(arn.toLowerCase());
  } catch {
    // The authenticator ignores the canonicalisation error and stores the entry under ''.
    return '';
  }
}

function checkKeys(content: DynamicFileContent, strict: boolean): string[] {
  const roleErrors = content.roles
    .filter((role) => (strict ? role.userid ?? '' : role.rolearn) === '')
    .map(() => 'value for rolearn or userid(if dynamicfileUserIDStrict = true) must be supplied');
  const userErrors = content.users
    .filter((user) => (strict ? user.userid ?? '' : user.userarn) === '')
    .map(() => 'value for userarn or userid(if dynamicfileUserIDStrict = true) must be supplied');
  return [...userErrors, ...roleErrors];
}

function snapshot(name: string, content: DynamicFileContent, strict: boolean): Snapshot {
  const roles = new Map<string, Stored<RoleMapping>>();
  const users = new Map<string, Stored<UserMapping>>();
  content.users.forEach((mapping, index) => {
    users.set(strict ? (mapping.userid ?? '') : canonicalKey(mapping.userarn), { mapping, origin: { source: name, key: 'mapUsers', index } });
  });
  content.roles.forEach((mapping, index) => {
    roles.set(strict ? (mapping.userid ?? '') : canonicalKey(mapping.rolearn), { mapping, origin: { source: name, key: 'mapRoles', index } });
  });
  return { roles, users, accounts: new Set(content.accounts) };
}

/**
 * Checks a strict-mode hit: an entry that names an ARN must name the caller's (role paths are
 * stripped first), so a reused or renamed principal cannot inherit another's mapping.
 */
function strictArnMatches(identity: Identity, mappedArn: string): boolean {
  if (mappedArn === '') return true;
  try {
    return identity.canonicalArn.toLowerCase() === stripPath(mappedArn).toLowerCase();
  } catch {
    return false;
  }
}

/**
 * Creates a source with DynamicFile semantics: entries are looked up by the lower-cased canonical ARN,
 * or in strict mode by the caller's user ID (then the entry's ARN must also match). Roles are looked
 * up before users; later duplicates replace earlier ones. A strict-mode ARN mismatch is a Map error
 * (`ARN does not match User ID`), which this source's own account list can still override.
 */
export function createDynamicFileSource(options: DynamicFileOptions = {}): DynamicFileSource {
  const name = options.name ?? 'DynamicFile';
  const strict = options.userIdStrict ?? false;
  let current = EMPTY;

  const keyOf = (identity: Identity): string => (strict ? identity.userId : identity.canonicalArn.toLowerCase());
  const find = (identity: Identity): { kind: 'role' | 'user'; stored: Stored<RoleMapping> | Stored<UserMapping> } | undefined => {
    const role = current.roles.get(keyOf(identity));
    if (role !== undefined) return { kind: 'role', stored: role };
    const user = current.users.get(keyOf(identity));
    return user === undefined ? undefined : { kind: 'user', stored: user };
  };
  const arnOf = (mapping: RoleMapping | UserMapping): string => ('rolearn' in mapping ? mapping.rolearn : mapping.userarn);

  return {
    name,
    reservedPrefixes: options.reservedPrefixes ?? [],
    load(text) {
      const parsed = parseDynamicFile(text);
      if (!parsed.ok) return parsed;
      const errors = checkKeys(parsed.content, strict);
      if (errors.length > 0) return { ok: false, error: `error parsing dynamic file: [${errors.join(' ')}]` };
      current = snapshot(name, parsed.content, strict);
      return parsed;
    },
    clear() {
      current = EMPTY;
    },
    roleKeys: () => [...current.roles.keys()],
    userKeys: () => [...current.users.keys()],
    map(identity): MatchedMapping | undefined {
      const hit = find(identity);
      if (hit === undefined) return undefined;
      if (strict && !strictArnMatches(identity, arnOf(hit.stored.mapping))) {
        throw new KubeiamError('MAP_USER_ID_MISMATCH', 'ARN does not match User ID', { userId: identity.userId });
      }
      return { kind: hit.kind, username: hit.stored.mapping.username, groups: hit.stored.mapping.groups, origin: hit.stored.origin };
    },
    isAccountAllowed: (accountId) => current.accounts.has(accountId),
    explain(identity): EntryVerdict[] {
      const hit = find(identity);
      const lookup = strict ? `user ID '${identity.userId}'` : identity.canonicalArn.toLowerCase();
      if (hit === undefined) {
        return [{ kind: 'key', matched: false, reason: 'ARN_DIFFERS', message: `no entry is keyed by ${lookup}` }];
      }
      const { mapping, origin } = hit.stored;
      const entry = { username: mapping.username, groups: mapping.groups };
      if (strict && !strictArnMatches(identity, arnOf(mapping))) {
        return [{
          kind: hit.kind,
          matched: false,
          reason: 'USER_ID_MISMATCH',
          origin,
          entry,
          message: `${origin.key}[${origin.index}] is keyed by ${lookup} but names ${arnOf(mapping)}, not ${identity.canonicalArn}`,
          fix: `set the entry's ARN to ${identity.canonicalArn}, or its userid to the ID of ${arnOf(mapping)}`,
        }];
      }
      return [{ kind: hit.kind, matched: true, reason: 'MATCHED', origin, entry, message: `${origin.key}[${origin.index}] is keyed by ${lookup}` }];
    },
  };
}
