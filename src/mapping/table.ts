import type { Identity } from '../arn/identity.js';
import { equalFold, foldKey } from '../awsauth/gofold.js';
import { explainArnDifference } from './nearmiss.js';
import { ssoPattern, ssoPatternMatches } from './records.js';
import type { EntryOrigin, EntryVerdict, MatchedMapping, RoleMapping, UserMapping, VerdictDetail } from './types.js';

interface TableEntry {
  /** The ARN compared with the caller's canonical ARN (as written, or canonicalised at load). */
  readonly matchArn: string;
  /** The ARN as configured, for explanations. */
  readonly configuredArn: string;
  readonly origin?: EntryOrigin;
  /** Set when a later entry with the same key replaces this one. */
  readonly shadowedBy?: EntryOrigin;
}

export interface TableRole extends TableEntry {
  readonly mapping: RoleMapping;
}

export interface TableUser extends TableEntry {
  readonly mapping: UserMapping;
}

export interface TableOptions {
  /** Match SSO entries (aws-iam-authenticator's `SSORoleMatch` feature gate). Default: false. */
  readonly ssoRoleMatch: boolean;
  /** Configured role ARNs were canonicalised at load, so an assumed-role ARN is not a mistake. */
  readonly canonicalizesAtLoad: boolean;
}

/** Names an entry for messages: `mapRoles[2] (line 14)`. */
export function describeOrigin(origin: EntryOrigin | undefined, fallback: string): string {
  if (origin === undefined) return fallback;
  const position = `${origin.key}[${origin.index}]`;
  return origin.line === undefined ? position : `${position} (line ${origin.line})`;
}

/** Names an entry in verdict params: `{entry: 'mapRoles[2]', entryLine: '14'}` for the prefix `entry`. */
export function originParams(origin: EntryOrigin | undefined, prefix = 'entry'): Record<string, string> {
  if (origin === undefined) return {};
  const params: Record<string, string> = { [prefix]: `${origin.key}[${origin.index}]` };
  if (origin.line !== undefined) params[`${prefix}Line`] = String(origin.line);
  return params;
}

function detail(id: VerdictDetail['id'], params: Record<string, string>): { detail: VerdictDetail } {
  return { detail: { id, params } };
}

function summary(mapping: RoleMapping | UserMapping): { username: string; groups: readonly string[] } {
  return { username: mapping.username, groups: mapping.groups };
}

/**
 * The role and user entries of one source, with deterministic precedence where aws-iam-authenticator
 * iterates a Go map: exact rolearn entries win over SSO patterns, SSO patterns are tried in file
 * order, and shadowed duplicates never match. Role entries are tried before user entries.
 */
export class MappingTable {
  private readonly activeRoles: readonly TableRole[];
  /** Active exact-ARN role and user entries by folded ARN, so a lookup does not scan every entry. */
  private readonly exactRoles = new Map<string, TableRole>();
  private readonly exactUsers = new Map<string, TableUser>();

  constructor(
    private readonly roles: readonly TableRole[],
    private readonly users: readonly TableUser[],
    private readonly options: TableOptions,
  ) {
    this.activeRoles = roles.filter((role) => role.shadowedBy === undefined);
    for (const role of this.activeRoles) {
      const key = foldKey(role.matchArn);
      if (role.mapping.sso === undefined && !this.exactRoles.has(key)) this.exactRoles.set(key, role);
    }
    for (const user of users) {
      const key = foldKey(user.matchArn);
      if (user.shadowedBy === undefined && !this.exactUsers.has(key)) this.exactUsers.set(key, user);
    }
  }

  /** Finds the role entry that decides for the identity, exact entries first. */
  findRole(identity: Identity): TableRole | undefined {
    const subject = identity.canonicalArn.toLowerCase();
    const exact = this.exactRoles.get(foldKey(subject));
    if (exact !== undefined || !this.options.ssoRoleMatch) return exact;
    return this.activeRoles.find((role) => role.mapping.sso !== undefined && ssoPatternMatches(role.mapping.sso, subject));
  }

  findUser(identity: Identity): TableUser | undefined {
    return this.exactUsers.get(foldKey(identity.canonicalArn));
  }

  map(identity: Identity): MatchedMapping | undefined {
    const role = this.findRole(identity);
    if (role !== undefined) return matched('role', role);
    const user = this.findUser(identity);
    return user === undefined ? undefined : matched('user', user);
  }

  /** Compares the identity with every entry, in the order the lookup tries them. */
  explain(identity: Identity): EntryVerdict[] {
    const chosenRole = this.findRole(identity);
    const chosenUser = chosenRole === undefined ? this.findUser(identity) : undefined;
    return [
      ...this.roles.map((role) => this.explainRole(role, identity, chosenRole)),
      ...this.users.map((user) => this.explainUser(user, identity, chosenRole ?? chosenUser)),
    ];
  }

  private explainRole(role: TableRole, identity: Identity, chosen: TableRole | undefined): EntryVerdict {
    if (role.mapping.sso !== undefined) return this.explainSso(role, identity, chosen);
    const name = describeOrigin(role.origin, 'role entry');
    if (!equalFold(role.matchArn, identity.canonicalArn)) return this.mismatch('role', role, name, identity);
    return this.explainCandidate('role', role, name, identity, chosen);
  }

  private explainSso(role: TableRole, identity: Identity, chosen: TableRole | undefined): EntryVerdict {
    const sso = role.mapping.sso;
    const name = describeOrigin(role.origin, 'SSO role entry');
    const base = { kind: 'role' as const, entry: summary(role.mapping), ...(role.origin ? { origin: role.origin } : {}) };
    const pattern = sso === undefined ? '' : ssoPattern(sso);
    if (sso === undefined || !ssoPatternMatches(sso, identity.canonicalArn)) {
      return {
        ...base,
        matched: false,
        reason: 'ARN_DIFFERS',
        message: `${name}: SSO pattern ${pattern} does not match ${identity.canonicalArn}`,
        ...detail('SSO_PATTERN_DIFFERS', { ...originParams(role.origin), pattern, arn: identity.canonicalArn }),
      };
    }
    if (!this.options.ssoRoleMatch) {
      return {
        ...base,
        matched: false,
        reason: 'SSO_DISABLED',
        message: `${name}: SSO pattern ${pattern} matches ${identity.canonicalArn}, but SSO role matching is off, so SSO entries never match`,
        fix: `turn on SSO role matching, or map the role exactly: rolearn: ${identity.canonicalArn}`,
        ...detail('SSO_DISABLED', { ...originParams(role.origin), pattern, arn: identity.canonicalArn }),
      };
    }
    return this.explainCandidate('role', role, name, identity, chosen);
  }

  private explainUser(user: TableUser, identity: Identity, chosen: TableRole | TableUser | undefined): EntryVerdict {
    const name = describeOrigin(user.origin, 'user entry');
    if (!equalFold(user.matchArn, identity.canonicalArn)) return this.mismatch('user', user, name, identity);
    return this.explainCandidate('user', user, name, identity, chosen);
  }

  /** Explains an entry whose ARN or pattern matches: it decides, or a duplicate or another entry wins. */
  private explainCandidate(
    kind: 'role' | 'user',
    entry: TableRole | TableUser,
    name: string,
    identity: Identity,
    chosen: TableRole | TableUser | undefined,
  ): EntryVerdict {
    const base = { kind, entry: summary(entry.mapping), ...(entry.origin ? { origin: entry.origin } : {}) };
    if (entry.shadowedBy !== undefined) {
      return {
        ...base,
        matched: false,
        reason: 'SHADOWED',
        message: `${name} matches, but ${describeOrigin(entry.shadowedBy, 'a later entry')} has the same ARN and wins (the last entry wins; groups are not merged)`,
        fix: 'remove one of the duplicates so the file says what takes effect',
        ...detail('SHADOWED', { ...originParams(entry.origin), ...originParams(entry.shadowedBy, 'winner') }),
      };
    }
    if (chosen !== entry) {
      const winner = chosen === undefined ? 'another entry' : describeOrigin(chosen.origin, 'another entry');
      return {
        ...base,
        matched: false,
        reason: 'OUTRANKED',
        message: `${name} matches, but ${winner} takes precedence (exact role ARNs before SSO patterns, SSO patterns in file order, roles before users)`,
        ...detail('OUTRANKED', { ...originParams(entry.origin), ...originParams(chosen?.origin, 'winner') }),
      };
    }
    const sso = 'sso' in entry.mapping ? entry.mapping.sso : undefined;
    if (sso !== undefined) {
      return {
        ...base,
        matched: true,
        reason: 'SSO_MATCHED',
        message: `${name}: SSO pattern ${ssoPattern(sso)} matches ${identity.canonicalArn}`,
        ...detail('SSO_MATCHED', { ...originParams(entry.origin), pattern: ssoPattern(sso), arn: identity.canonicalArn }),
      };
    }
    if (entry.matchArn !== identity.canonicalArn) {
      return {
        ...base,
        matched: true,
        reason: 'CASE_ONLY_DIFFERENCE',
        message: `${name}: '${entry.configuredArn}' matches ${identity.canonicalArn} only because the comparison ignores case`,
        fix: `write the ARN as STS reports it: ${identity.canonicalArn}`,
        ...detail('CASE_ONLY_DIFFERENCE', { ...originParams(entry.origin), configured: entry.configuredArn, arn: identity.canonicalArn }),
      };
    }
    return {
      ...base,
      matched: true,
      reason: 'MATCHED',
      message: `${name}: ${entry.configuredArn} matches`,
      ...detail('MATCHED', { ...originParams(entry.origin), configured: entry.configuredArn }),
    };
  }

  private mismatch(kind: 'role' | 'user', entry: TableRole | TableUser, name: string, identity: Identity): EntryVerdict {
    const nearMiss = explainArnDifference(entry.configuredArn, identity.canonicalArn, this.options.canonicalizesAtLoad);
    return {
      kind,
      matched: false,
      reason: nearMiss.reason,
      message: `${name}: ${nearMiss.detail}`,
      entry: summary(entry.mapping),
      ...(entry.origin ? { origin: entry.origin } : {}),
      ...(nearMiss.suggestedArn === undefined ? {} : { fix: `change the ARN to ${nearMiss.suggestedArn}` }),
      ...detail(nearMiss.detailId, { ...originParams(entry.origin), ...nearMiss.params }),
    };
  }
}

function matched(kind: 'role' | 'user', entry: TableRole | TableUser): MatchedMapping {
  return {
    kind,
    username: entry.mapping.username,
    groups: entry.mapping.groups,
    ...(entry.origin ? { origin: entry.origin } : {}),
  };
}
