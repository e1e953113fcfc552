import { canonicalize } from '../../arn/index.js';
import { KubeiamError } from '../../errors.js';
import { roleMappingKey, validateRoleMapping, validateUserMapping } from '../records.js';
import { MappingTable, type TableRole, type TableUser } from '../table.js';
import type { EntryOrigin, MappingSource, RoleMapping, UserMapping } from '../types.js';

export interface MountedRoleInput {
  readonly rolearn?: string;
  readonly sso?: { readonly permissionSetName?: string; readonly accountID?: string; readonly partition?: string };
  readonly username?: string;
  readonly groups?: readonly string[];
  readonly userid?: string;
}

export interface MountedUserInput {
  readonly userarn?: string;
  readonly username?: string;
  readonly groups?: readonly string[];
  readonly userid?: string;
}

/** The mappings of a server configuration file (`server.mapRoles`, `server.mapUsers`, `server.mapAccounts`). */
export interface MountedConfig {
  /** Source name in messages. Default: `MountedFile`. */
  readonly name?: string;
  readonly mapRoles?: readonly MountedRoleInput[];
  readonly mapUsers?: readonly MountedUserInput[];
  readonly mapAccounts?: readonly string[];
  /** Match `sso` entries. Default: false. */
  readonly ssoRoleMatch?: boolean;
  /** Usernames with these prefixes are denied. Default: none. */
  readonly reservedPrefixes?: readonly string[];
}

/** A MountedFile source, with the keys its entries are stored under (for tests and `kubeiam explain`). */
export interface MountedSource extends MappingSource {
  /** Role entries after canonicalisation, in input order. */
  readonly roles: readonly RoleMapping[];
  /** Winning role keys: lower-cased canonical rolearn, or the SSO pattern. */
  readonly roleKeys: readonly string[];
  /** Winning user keys: the canonical ARN of the lower-cased userarn. */
  readonly userKeys: readonly string[];
}

function configError(name: string, message: string): KubeiamError {
  return new KubeiamError('MAPPING_CONFIG_INVALID', `${name}: ${message}`);
}

function toRoleMapping(input: MountedRoleInput): RoleMapping {
  return {
    rolearn: input.rolearn ?? '',
    ...(input.sso === undefined
      ? {}
      : {
          sso: {
            permissionSetName: input.sso.permissionSetName ?? '',
            accountID: input.sso.accountID ?? '',
            partition: input.sso.partition ?? '',
          },
        }),
    username: input.username ?? '',
    groups: [...(input.groups ?? [])],
    ...(input.userid === undefined || input.userid === '' ? {} : { userid: input.userid }),
  };
}

function toUserMapping(input: MountedUserInput): UserMapping {
  return {
    userarn: input.userarn ?? '',
    username: input.username ?? '',
    groups: [...(input.groups ?? [])],
    ...(input.userid === undefined || input.userid === '' ? {} : { userid: input.userid }),
  };
}

/** Validates a role entry and canonicalises its rolearn, as MountedFile does at start-up. */
function loadRole(name: string, input: MountedRoleInput, index: number): RoleMapping {
  const mapping = toRoleMapping(input);
  const error = validateRoleMapping(mapping);
  if (error !== undefined) throw configError(name, `mapRoles[${index}]: ${error.message}`);
  if (mapping.sso !== undefined) return mapping;
  try {
    return { ...mapping, rolearn: canonicalize(mapping.rolearn) };
  } catch (cause) {
    throw configError(name, `mapRoles[${index}]: ${(cause as Error).message}`);
  }
}

function loadUserKey(name: string, mapping: UserMapping, index: number): string {
  const error = validateUserMapping(mapping);
  if (error !== undefined) throw configError(name, `mapUsers[${index}]: ${error.message}`);
  try {
    return canonicalize(mapping.userarn.toLowerCase());
  } catch (cause) {
    throw configError(name, `mapUsers[${index}]: error canonicalizing ARN: ${(cause as Error).message}`);
  }
}

function markShadowed<Entry extends { origin?: EntryOrigin }>(entries: readonly Entry[], keys: readonly string[]): (Entry & { shadowedBy?: EntryOrigin })[] {
  const lastIndex = new Map<string, number>();
  keys.forEach((key, index) => lastIndex.set(key, index));
  return entries.map((entry, index) => {
    const winner = lastIndex.get(keys[index] ?? '') ?? index;
    const winnerOrigin = entries[winner]?.origin;
    return winner === index || winnerOrigin === undefined ? entry : { ...entry, shadowedBy: winnerOrigin };
  });
}

/**
 * Creates a source with MountedFile semantics: role ARNs are canonicalised at load (an assumed-role
 * ARN becomes its role ARN; a path stays, so such an entry never matches), user ARNs are lower-cased
 * and canonicalised. Precedence follows createAwsAuthSource.
 * Throws a KubeiamError (`MAPPING_CONFIG_INVALID`) for an invalid entry, as the server refuses to start.
 */
export function createMountedSource(config: MountedConfig): MountedSource {
  const name = config.name ?? 'MountedFile';
  const roleMappings = (config.mapRoles ?? []).map((input, index) => loadRole(name, input, index));
  const userMappings = (config.mapUsers ?? []).map(toUserMapping);
  const userKeys = userMappings.map((mapping, index) => loadUserKey(name, mapping, index));
  const roleKeys = roleMappings.map(roleMappingKey);
  const origin = (key: string, index: number): EntryOrigin => ({ source: name, key, index });

  const roles: TableRole[] = markShadowed(
    roleMappings.map((mapping, index) => ({ mapping, matchArn: mapping.rolearn, configuredArn: config.mapRoles?.[index]?.rolearn ?? '', origin: origin('mapRoles', index) })),
    roleKeys,
  );
  const users: TableUser[] = markShadowed(
    userMappings.map((mapping, index) => ({ mapping, matchArn: userKeys[index] ?? '', configuredArn: mapping.userarn, origin: origin('mapUsers', index) })),
    userKeys,
  );
  const table = new MappingTable(roles, users, { ssoRoleMatch: config.ssoRoleMatch ?? false, canonicalizesAtLoad: true });
  const accounts = new Set(config.mapAccounts ?? []);

  return {
    name,
    reservedPrefixes: config.reservedPrefixes ?? [],
    roles: roleMappings,
    roleKeys: [...new Set(roleKeys)],
    userKeys: [...new Set(userKeys)],
    map: (identity) => table.map(identity),
    isAccountAllowed: (accountId) => accounts.has(accountId),
    explain: (identity) => table.explain(identity),
  };
}
