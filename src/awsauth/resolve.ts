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
  // Each key is computed once, because folding 10,000+ ARNs dominated the index step.
  const keys = entries.map(keyOf);
  const lastIndex = new Map<string, number>();
  keys.forEach((key, index) => lastIndex.set(key, index));

  // One pass in file order puts the winners in file order, with no sort.
  const winners = new Map<string, Entry>();
  const shadowed: ShadowedEntry<Entry>[] = [];
  entries.forEach((entry, index) => {
    const key = keys[index] as string;
    const winnerIndex = lastIndex.get(key) as number;
    if (winnerIndex === index) winners.set(key, entry);
    else shadowed.push({ entry, by: entries[winnerIndex] as Entry });
  });
  return { winners, shadowed };
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
