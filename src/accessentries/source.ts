import type { Identity } from '../arn/identity.js';
import { parsePrincipal } from '../arn/index.js';
import { equalFold } from '../awsauth/gofold.js';
import type { EntryVerdict, MappingSource, MatchedMapping } from '../mapping/types.js';
import { defaultUsername } from './defaults.js';
import { principalName } from './rules.js';
import type { AccessEntry, AuthenticationMode } from './types.js';

export const ACCESS_ENTRIES_SOURCE_NAME = 'EKS access entries';

export interface AccessEntrySourceOptions {
  /** Source name in messages. Default: `EKS access entries`. */
  readonly name?: string;
}

/**
 * Returns the canonical ARN of an STS caller of the entry's principal. Roles lose their path because
 * STS reports `assumed-role/<name>/…`, and users keep it.
 */
export function callerArnOf(principalArn: string): string {
  const principal = parsePrincipal(principalArn);
  if (principal.type !== 'ROLE') return principalArn;
  return `arn:${principal.partition}:iam::${principal.accountId}:role/${principalName(principalArn)}`;
}

function safeCallerArn(principalArn: string): string | undefined {
  try {
    return callerArnOf(principalArn);
  } catch {
    return undefined;
  }
}

function describeEntry(entry: AccessEntry): string {
  return `access entry ${entry.principalArn} (${entry.type})`;
}

function policySummary(entry: AccessEntry): string {
  const policies = entry.policies ?? [];
  if (policies.length === 0) return '';
  const names = policies.map((item) => {
    const name = item.policyArn.split('/').at(-1) ?? item.policyArn;
    return item.accessScope.type === 'cluster' ? `${name} (cluster)` : `${name} (${item.accessScope.namespaces.join(', ')})`;
  });
  return `; access policies: ${names.join(', ')}`;
}

/** Reports whether an entry was bound to an older principal with the same ARN. */
function isOrphaned(entry: AccessEntry, identity: Identity): boolean {
  return entry.principalId !== undefined && entry.principalId !== '' && identity.userId !== '' && entry.principalId !== identity.userId;
}

/**
 * Creates a mapping source with EKS access-entry semantics: an entry matches the caller whose
 * canonical ARN is the entry's principal without its role path (EKS matches on the principal's
 * unique ID, which the path does not change). When both the entry's and the caller's unique IDs are
 * known and differ, the entry belongs to a deleted principal of the same name and does not match.
 * An entry without a username maps to the name EKS generates. There is no account allow-list.
 */
export function createAccessEntrySource(entries: readonly AccessEntry[], options: AccessEntrySourceOptions = {}): MappingSource {
  const name = options.name ?? ACCESS_ENTRIES_SOURCE_NAME;
  const candidates = (identity: Identity): AccessEntry[] =>
    entries.filter((entry) => {
      const arn = safeCallerArn(entry.principalArn);
      return arn !== undefined && equalFold(arn, identity.canonicalArn);
    });

  return {
    name,
    reservedPrefixes: [],
    hasAccountList: false,
    isAccountAllowed: () => false,
    map(identity): MatchedMapping | undefined {
      const entry = candidates(identity).find((candidate) => !isOrphaned(candidate, identity));
      if (entry === undefined) return undefined;
      const username = entry.username === '' ? defaultUsername(entry.principalArn, entry.type) : entry.username;
      return { kind: entry.principalArn.includes(':role/') ? 'role' : 'user', username, groups: entry.kubernetesGroups };
    },
    explain: (identity) => explainEntries(candidates(identity), identity),
  };
}

function explainEntries(matches: readonly AccessEntry[], identity: Identity): EntryVerdict[] {
  if (matches.length === 0) {
    return [{ kind: 'key', matched: false, reason: 'ARN_DIFFERS', message: `no access entry names ${identity.canonicalArn}` }];
  }
  return matches.map((entry): EntryVerdict => {
    const kind = entry.principalArn.includes(':role/') ? 'role' : 'user';
    const groups = { username: entry.username, groups: entry.kubernetesGroups };
    if (isOrphaned(entry, identity)) {
      return {
        kind,
        matched: false,
        reason: 'USER_ID_MISMATCH',
        entry: groups,
        message: `${describeEntry(entry)} is orphaned: it was bound to principal ID ${entry.principalId ?? ''}, but ${identity.canonicalArn} now has ID ${identity.userId} (deleted and re-created)`,
        fix: `delete and re-create the entry: kubeiam entry delete --principal-arn ${entry.principalArn}, then kubeiam entry create`,
      };
    }
    return { kind, matched: true, reason: 'MATCHED', entry: groups, message: `${describeEntry(entry)} names this principal${policySummary(entry)}` };
  });
}

/** Wraps a source the authentication mode does not read: it maps nothing, and its explain verdict gives the reason. */
function excludedSource(source: MappingSource, mode: AuthenticationMode): MappingSource {
  return {
    name: source.name,
    reservedPrefixes: [],
    hasAccountList: false,
    isAccountAllowed: () => false,
    map: () => undefined,
    explain(identity) {
      const wouldMatch = (source.explain?.(identity) ?? []).some((verdict) => verdict.matched);
      const detail = wouldMatch ? ', so its entry for this principal does not count' : '';
      return [{ kind: 'chain', matched: false, reason: 'AUTH_MODE_EXCLUDES', message: `the cluster's authentication mode is ${mode}, which does not read ${source.name}${detail}` }];
    },
  };
}

/** Wraps the access-entry source so that its explain also names the aws-auth entries it overrides. */
function overridingSource(entries: MappingSource, awsAuth: MappingSource): MappingSource {
  return {
    ...entries,
    explain(identity) {
      const own = entries.explain?.(identity) ?? [];
      if (!own.some((verdict) => verdict.matched)) return own;
      const overridden = (awsAuth.explain?.(identity) ?? []).filter((verdict) => verdict.matched).map((verdict): EntryVerdict => ({
        ...verdict,
        matched: false,
        reason: 'OUTRANKED',
        message: `${awsAuth.name} also maps this principal (${verdict.message}), but the access entry overrides it`,
      }));
      return [...own, ...overridden];
    },
  };
}

export interface EksSources {
  readonly mode: AuthenticationMode;
  readonly accessEntries?: MappingSource;
  readonly awsAuth?: MappingSource;
}

/**
 * Orders the sources as EKS reads them for an authentication mode: CONFIG_MAP reads aws-auth only,
 * API reads access entries only, API_AND_CONFIG_MAP reads access entries first (an entry overrides an
 * aws-auth mapping of the same principal), then aws-auth. A source the mode ignores stays in the list
 * so explain reports that it was not read.
 */
export function orderSourcesForMode({ mode, accessEntries, awsAuth }: EksSources): MappingSource[] {
  const sources: MappingSource[] = [];
  if (mode === 'CONFIG_MAP') {
    if (awsAuth) sources.push(awsAuth);
    if (accessEntries) sources.push(excludedSource(accessEntries, mode));
  } else if (mode === 'API') {
    if (accessEntries) sources.push(accessEntries);
    if (awsAuth) sources.push(excludedSource(awsAuth, mode));
  } else {
    if (accessEntries) sources.push(awsAuth ? overridingSource(accessEntries, awsAuth) : accessEntries);
    if (awsAuth) sources.push(awsAuth);
  }
  return sources;
}
