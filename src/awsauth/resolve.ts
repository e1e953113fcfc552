import { roleMappingKey } from '../mapping/records.js';
import { foldKey } from './gofold.js';
import type { ParsedAwsAuth, RoleEntry, UserEntry } from './types.js';

/** An entry that a later entry with the same key replaces (the last one wins, groups are not merged). */
export interface ShadowedEntry<Entry> {
  readonly entry: Entry;
  readonly by: Entry;
}

/** The entries of an aws-auth document that take effect, after duplicates are resolved. */
export interface ResolvedAwsAuth {
  /** Winning role entries by key (lower-cased rolearn, or the SSO pattern), in file order of the winners. */
  readonly roles: ReadonlyMap<string, RoleEntry>;
  /** Winning user entries by case-folded userarn, in file order of the winners. */
  readonly users: ReadonlyMap<string, UserEntry>;
  readonly accounts: ReadonlySet<string>;
  readonly shadowedRoles: readonly ShadowedEntry<RoleEntry>[];
  readonly shadowedUsers: readonly ShadowedEntry<UserEntry>[];
}

/** Returns the de-duplication key of a user entry: its userarn, case-folded. */
export function userMappingKey(userarn: string): string {
  return foldKey(userarn);
}

function lastWins<Entry extends { origin: { line?: number } }>(
  entries: readonly Entry[],
  keyOf: (entry: Entry) => string,
): { winners: Map<string, Entry>; shadowed: ShadowedEntry<Entry>[] } {
  const winners = new Map<string, Entry>();
  for (const entry of entries) winners.set(keyOf(entry), entry);
  const shadowed = entries
    .filter((entry) => winners.get(keyOf(entry)) !== entry)
    .map((entry) => ({ entry, by: winners.get(keyOf(entry)) as Entry }));
  // Winners in file order; positions are looked up once, because indexOf per comparison made large
  // documents (10,000+ entries) quadratic.
  const position = new Map(entries.map((entry, index) => [entry, index] as const));
  const at = (entry: Entry): number => position.get(entry) ?? 0;
  const ordered = new Map([...winners].sort(([, left], [, right]) => at(left) - at(right)));
  return { winners: ordered, shadowed };
}

/**
 * Resolves duplicates the way EKS does: the last entry with a key wins, and its groups replace the
 * earlier ones. aws-iam-authenticator keys users by the exact userarn, so two user entries that differ
 * only in case both stay and either may win at random. kubeiam keys them case-insensitively, so the
 * later entry wins every time. A ConfigMap the API server would reject loads nothing.
 */
export function resolveAwsAuth(parsed: ParsedAwsAuth): ResolvedAwsAuth {
  const roles = parsed.valid ? parsed.roles : [];
  const users = parsed.valid ? parsed.users : [];
  const resolvedRoles = lastWins(roles, (entry) => roleMappingKey(entry.mapping));
  const resolvedUsers = lastWins(users, (entry) => userMappingKey(entry.mapping.userarn));
  return {
    roles: resolvedRoles.winners,
    users: resolvedUsers.winners,
    accounts: new Set(parsed.valid ? parsed.accounts.map((account) => account.accountId) : []),
    shadowedRoles: resolvedRoles.shadowed,
    shadowedUsers: resolvedUsers.shadowed,
  };
}
