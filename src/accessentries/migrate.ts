import { parsePrincipal, roleHasPath } from '../arn/index.js';
import { resolveAwsAuth } from '../awsauth/resolve.js';
import type { ParsedAwsAuth } from '../awsauth/types.js';
import type { EntryOrigin, RoleMapping, UserMapping } from '../mapping/types.js';
import { defaultGroups, defaultUsername } from './defaults.js';
import type { PrincipalLookup } from './iam.js';
import { principalName, RESERVED_USERNAME_PREFIXES, rolePath, SSO_ROLE_PATH } from './rules.js';
import type { AccessEntry, AccessScope } from './types.js';
import { validateCreate } from './validate.js';

export const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/** Reason codes for an aws-auth mapping that stays in aws-auth. */
export type StayReason =
  | 'MAP_ACCOUNTS'
  | 'SSO_PATTERN'
  | 'SSO_PATH_UNKNOWN'
  | 'SERVICE_LINKED_ROLE'
  | 'SYSTEM_GROUP'
  | 'RESERVED_USERNAME'
  | 'EMPTY_USERNAME'
  | 'SESSION_NAME_COLON'
  | 'STS_ARN'
  | 'PATH_IN_AWS_AUTH'
  | 'NODE_ROLE_OTHER_ACCOUNT'
  | 'PRINCIPAL_NOT_FOUND'
  | 'INVALID_ENTRY'
  | 'SHADOWED'
  | 'RULE';

/** Outcome of a planned entry: to create, already present with the same settings, or in conflict with an existing one. */
export type MoveStatus = 'create' | 'exists' | 'conflict';

export interface PlannedPolicy {
  readonly policyArn: string;
  readonly accessScope: AccessScope;
}

/** An aws-auth mapping that becomes an access entry. */
export interface PlannedMove {
  /** `mapRoles[2]`. */
  readonly from: string;
  readonly awsAuthArn: string;
  /** The principal ARN for the entry, path included. */
  readonly principalArn: string;
  /** `iam` when IAM returned the ARN, `aws-auth` when it is the written one (not checked). */
  readonly arnFrom: 'iam' | 'aws-auth';
  readonly type: string;
  /** Undefined for node types, whose username EKS generates. */
  readonly username?: string;
  readonly kubernetesGroups: readonly string[];
  readonly policies: readonly PlannedPolicy[];
  readonly status: MoveStatus;
  readonly notes: readonly string[];
}

/** An aws-auth mapping that cannot move, with the reason and what to do instead. */
export interface PlannedStay {
  readonly from: string;
  /** The ARN, SSO pattern or account ID. */
  readonly subject: string;
  readonly reason: StayReason;
  readonly message: string;
}

export interface MigrationPlan {
  readonly moves: readonly PlannedMove[];
  readonly stays: readonly PlannedStay[];
}

export interface PlanOptions {
  /** The cluster's account: node roles of another account cannot get node-type entries. */
  readonly clusterAccount: string;
  /** IAM lookup for the real ARN with path; without it ARNs are taken as written. */
  readonly lookup?: PrincipalLookup;
  /** Entries the cluster has now, to mark moves as `exists` or `conflict`. */
  readonly existing?: readonly AccessEntry[];
  /** Default: `aws`. */
  readonly partition?: string;
}

function where(origin: EntryOrigin): string {
  return `${origin.key}[${origin.index}]`;
}

const stay = (origin: EntryOrigin, subject: string, reason: StayReason, message: string): PlannedStay => ({ from: where(origin), subject, reason, message });

/** The conversion of one mapping before IAM and the existing entries are consulted. */
interface Draft {
  readonly type: string;
  readonly username?: string;
  readonly kubernetesGroups: readonly string[];
  readonly policies: readonly PlannedPolicy[];
  readonly notes: readonly string[];
}

/**
 * Plans the move of aws-auth mappings to access entries so each identity keeps its username and
 * groups: node-role mappings become EC2_LINUX, EC2_WINDOWS or FARGATE_LINUX entries, `system:masters`
 * becomes an AmazonEKSClusterAdminPolicy association, everything else a STANDARD entry. Lists what
 * cannot move and why.
 */
export async function planMigration(parsed: ParsedAwsAuth, options: PlanOptions): Promise<MigrationPlan> {
  const moves: PlannedMove[] = [];
  const stays: PlannedStay[] = [...staysOfDocument(parsed)];
  const resolved = resolveAwsAuth(parsed);

  const mappings: { mapping: RoleMapping | UserMapping; origin: EntryOrigin; arn: string }[] = [
    ...[...resolved.roles.values()].map((entry) => ({ mapping: entry.mapping, origin: entry.origin, arn: entry.mapping.rolearn })),
    ...[...resolved.users.values()].map((entry) => ({ mapping: entry.mapping, origin: entry.origin, arn: entry.mapping.userarn })),
  ];
  for (const { mapping, origin, arn } of mappings) {
    const result = await planOne(mapping, origin, arn, options);
    if ('reason' in result) stays.push(result);
    else moves.push(result);
  }
  return { moves, stays: stays.sort((left, right) => left.from.localeCompare(right.from, 'en', { numeric: true })) };
}

function staysOfDocument(parsed: ParsedAwsAuth): PlannedStay[] {
  const resolved = resolveAwsAuth(parsed);
  const accounts = parsed.accounts.map((account) =>
    stay(account.origin, account.accountId, 'MAP_ACCOUNTS', `mapAccounts maps every principal of account ${account.accountId}; access entries have no account-wide form, so create one entry per user or role that needs access`));
  const shadowed = [...resolved.shadowedRoles, ...resolved.shadowedUsers].map(({ entry, by }) => {
    const arn = 'rolearn' in entry.mapping ? entry.mapping.rolearn : entry.mapping.userarn;
    return stay(entry.origin, arn, 'SHADOWED', `${where(by.origin)} maps the same principal later and wins, so this entry has no effect; remove it`);
  });
  const rejected = parsed.rejected.map((entry) => {
    const arn = entry.kind === 'role' ? entry.mapping.rolearn : entry.mapping.userarn;
    return stay(entry.origin, arn, 'INVALID_ENTRY', `the entry is not loaded (${entry.error.message}), so it grants nothing to move`);
  });
  return [...accounts, ...shadowed, ...rejected];
}

async function planOne(mapping: RoleMapping | UserMapping, origin: EntryOrigin, arn: string, options: PlanOptions): Promise<PlannedMove | PlannedStay> {
  const shape = checkShape(mapping, origin, arn);
  if (shape !== undefined) return shape;
  const draft = convert(mapping, origin, arn, options);
  if ('reason' in draft) return draft;

  const target = await resolveArn(arn, origin, options);
  if ('reason' in target) return target;
  const problems = validateCreate({ principalArn: target.arn, type: draft.type, ...(draft.username !== undefined ? { username: draft.username } : {}), kubernetesGroups: draft.kubernetesGroups }, { account: options.clusterAccount });
  if (problems.length > 0) return stay(origin, arn, 'RULE', problems.map((item) => item.message).join('; '));

  const status = statusAgainst(options.existing ?? [], target.arn, draft);
  return {
    from: where(origin),
    awsAuthArn: arn,
    principalArn: target.arn,
    arnFrom: target.from,
    type: draft.type,
    ...(draft.username !== undefined ? { username: draft.username } : {}),
    kubernetesGroups: draft.kubernetesGroups,
    policies: draft.policies,
    status,
    notes: [...draft.notes, ...target.notes],
  };
}

/** Rejects mappings that never matched in aws-auth or that access entries cannot express. */
function checkShape(mapping: RoleMapping | UserMapping, origin: EntryOrigin, arn: string): PlannedStay | undefined {
  if ('sso' in mapping && mapping.sso !== undefined) {
    return stay(origin, `AWSReservedSSO_${mapping.sso.permissionSetName}_*`, 'SSO_PATTERN', `access entries take no ARN patterns: create one entry per role of permission set ${mapping.sso.permissionSetName}, with its full path (aws iam list-roles --path-prefix /${SSO_ROLE_PATH})`);
  }
  let type: string;
  try {
    type = parsePrincipal(arn).type;
  } catch {
    return stay(origin, arn, 'INVALID_ENTRY', `'${arn}' is not a valid principal ARN, so aws-auth never matched it`);
  }
  if (type === 'ASSUMED_ROLE' || type === 'FEDERATED_USER') {
    return stay(origin, arn, 'STS_ARN', 'aws-auth never matches an STS session ARN, so this entry grants nothing; give the role ARN if access is intended');
  }
  if (rolePath(arn).startsWith('aws-service-role/')) {
    return stay(origin, arn, 'SERVICE_LINKED_ROLE', 'access entries do not support service-linked roles: keep this mapping in aws-auth while aws-auth is read (authentication mode API_AND_CONFIG_MAP)');
  }
  if (roleHasPath(arn)) {
    return stay(origin, arn, 'PATH_IN_AWS_AUTH', 'aws-auth never matches a role ARN with a path, so this entry grants nothing today; moving it would grant new access, so create that entry on purpose if intended');
  }
  return undefined;
}

function isNodeUsername(username: string): boolean {
  return username === 'system:node:{{EC2PrivateDNSName}}' || username === 'system:node:{{SessionName}}';
}

function convert(mapping: RoleMapping | UserMapping, origin: EntryOrigin, arn: string, options: PlanOptions): Draft | PlannedStay {
  const { username, groups } = mapping;
  if ('rolearn' in mapping && isNodeUsername(username)) return convertNode(mapping, origin, arn, options);

  const masters = groups.includes('system:masters');
  const otherSystem = groups.filter((group) => group.startsWith('system:') && group !== 'system:masters');
  if (otherSystem.length > 0) {
    return stay(origin, arn, 'SYSTEM_GROUP', `groups ${otherSystem.join(', ')} use the reserved system: prefix, which access entries reject: bind RBAC to a group of your own or associate an access policy, then create the entry`);
  }
  if (username === '') return stay(origin, arn, 'EMPTY_USERNAME', 'the mapping sets no username, and an access entry would give the caller a different generated name: set a username first');
  const reserved = RESERVED_USERNAME_PREFIXES.find((prefix) => username.startsWith(prefix));
  if (reserved !== undefined) {
    return stay(origin, arn, 'RESERVED_USERNAME', `username '${username}' starts with '${reserved}', which access entries reserve for EKS: keep it in aws-auth, or choose another username`);
  }
  const template = username.indexOf('{{SessionName}}');
  if (template >= 0 && !username.slice(0, template).includes(':')) {
    return stay(origin, arn, 'SESSION_NAME_COLON', `username '${username}' has no colon before {{SessionName}}, which access entries require: a different username would change the caller's identity`);
  }
  const partition = options.partition ?? 'aws';
  return {
    type: 'STANDARD',
    username,
    kubernetesGroups: groups.filter((group) => group !== 'system:masters'),
    policies: masters ? [{ policyArn: `arn:${partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`, accessScope: { type: 'cluster', namespaces: [] } }] : [],
    notes: masters ? [`system:masters becomes ${CLUSTER_ADMIN_POLICY} with cluster scope`] : [],
  };
}

function convertNode(mapping: RoleMapping, origin: EntryOrigin, arn: string, options: PlanOptions): Draft | PlannedStay {
  const account = parsePrincipal(arn).accountId;
  if (account !== options.clusterAccount) {
    return stay(origin, arn, 'NODE_ROLE_OTHER_ACCOUNT', `node role of account ${account}, but node-type entries need a role of the cluster's account ${options.clusterAccount}`);
  }
  const fargate = mapping.username === 'system:node:{{SessionName}}';
  const windows = mapping.groups.includes('eks:kube-proxy-windows');
  let type = 'EC2_LINUX';
  if (windows) type = 'EC2_WINDOWS';
  if (fargate) type = 'FARGATE_LINUX';
  const note = `node mapping becomes an entry of type ${type}: EKS sets its username and groups, and creates it itself for managed node groups and Fargate profiles`;
  return { type, kubernetesGroups: [], policies: [], notes: [note] };
}

async function resolveArn(arn: string, origin: EntryOrigin, options: PlanOptions): Promise<{ arn: string; from: 'iam' | 'aws-auth'; notes: string[] } | PlannedStay> {
  if (options.lookup === undefined) {
    if (principalName(arn).startsWith('AWSReservedSSO_')) {
      return stay(origin, arn, 'SSO_PATH_UNKNOWN', `IAM Identity Center roles need their full path (${SSO_ROLE_PATH}[REGION/]) in an access entry, and it cannot be found offline: run with --cluster so IAM can be asked`);
    }
    const notes = arn.includes(':role/') ? ['role ARN taken as written: a path, if the role has one, was not looked up (offline plan)'] : [];
    return { arn, from: 'aws-auth', notes };
  }
  const found = await options.lookup(arn);
  if (found === undefined) {
    return stay(origin, arn, 'PRINCIPAL_NOT_FOUND', 'IAM has no such principal, and EKS only creates entries for existing ones: delete the mapping, or create the principal first');
  }
  const notes = found.arn === arn ? [] : [`IAM ARN with path: ${found.arn}`];
  return { arn: found.arn, from: 'iam', notes };
}

function sameSet(left: readonly string[], right: readonly string[]): boolean {
  const a = [...new Set(left)].sort();
  const b = [...new Set(right)].sort();
  return a.length === b.length && a.every((item, index) => item === b[index]);
}

function scopeEquals(left: AccessScope, right: AccessScope): boolean {
  return left.type === right.type && sameSet(left.namespaces, right.namespaces);
}

/** Compares a planned entry with what the cluster has: `exists` only when the result is the same. */
export function statusAgainst(existing: readonly AccessEntry[], principalArn: string, draft: Draft): MoveStatus {
  const entry = existing.find((candidate) => candidate.principalArn === principalArn);
  if (entry === undefined) return 'create';
  const username = draft.username ?? defaultUsername(principalArn, draft.type);
  const groups = draft.type === 'STANDARD' ? draft.kubernetesGroups : defaultGroups(draft.type);
  const policies = entry.policies ?? [];
  const same = entry.type === draft.type
    && entry.username === username
    && sameSet(entry.kubernetesGroups, groups)
    && draft.policies.every((wanted) => policies.some((have) => have.policyArn === wanted.policyArn && scopeEquals(have.accessScope, wanted.accessScope)));
  return same ? 'exists' : 'conflict';
}
