import type { RoleMapping, UserMapping } from '../mapping/types.js';
import { resolveAwsAuth, type ResolvedAwsAuth } from './resolve.js';
import { DATA_KEYS, type ParsedAwsAuth } from './types.js';

/**
 * Resolved entries of each parsed document. Parse results are shared and immutable, and one edit
 * resolves the same document several times.
 */
const resolvedDocuments = new WeakMap<ParsedAwsAuth, ResolvedAwsAuth>();

export function resolvedOf(parsed: ParsedAwsAuth): ResolvedAwsAuth {
  let resolved = resolvedDocuments.get(parsed);
  if (resolved === undefined) {
    resolved = resolveAwsAuth(parsed);
    resolvedDocuments.set(parsed, resolved);
  }
  return resolved;
}

/** Summarizes what an aws-auth document means: one line per effective entry, account and rejected-entry count. */
export function meaningOf(parsed: ParsedAwsAuth): Map<string, string> {
  const resolved = resolvedOf(parsed);
  const meaning = new Map<string, string>();
  for (const [key, entry] of resolved.roles) meaning.set(`mapRoles ${key}`, describeRole(entry.mapping));
  for (const [key, entry] of resolved.users) meaning.set(`mapUsers ${key}`, describeUser(entry.mapping));
  for (const account of resolved.accounts) meaning.set(`mapAccounts ${account}`, 'allowed');
  for (const key of DATA_KEYS) meaning.set(`rejected ${key}`, String(rejectedCount(parsed, key)));
  meaning.set('ignored keys', ignoredKeys(parsed));
  return meaning;
}

export function describeRole(mapping: RoleMapping): string {
  return JSON.stringify([mapping.rolearn, mapping.sso ?? null, mapping.username, mapping.groups, mapping.userid ?? '']);
}

export function describeUser(mapping: UserMapping): string {
  return JSON.stringify([mapping.userarn, mapping.username, mapping.groups, mapping.userid ?? '']);
}

function rejectedCount(parsed: ParsedAwsAuth, key: string): number {
  return parsed.rejected.filter((entry) => entry.origin.key === key).length;
}

function ignoredKeys(parsed: ParsedAwsAuth): string {
  return parsed.ignoredKeys.map((key) => key.name).join(',');
}

/** The one change an edit intends: a meaning name (a meaningOf key) and its new meaning, or undefined to remove it. */
export interface IntendedChange {
  readonly name: string;
  readonly meaning: string | undefined;
}

/** Returns what meaningOf(before) becomes after the intended change. */
export function expectedMeaning(before: ParsedAwsAuth, change: IntendedChange): Map<string, string> {
  const expected = meaningOf(before);
  if (change.meaning === undefined) expected.delete(change.name);
  else expected.set(change.name, change.meaning);
  return expected;
}

function sameGroups(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((group, index) => group === right[index]);
}

/** Reports whether two role mappings have the same describeRole text, field by field. */
function sameRole(left: RoleMapping, right: RoleMapping): boolean {
  const sameSso = left.sso === right.sso || JSON.stringify(left.sso ?? null) === JSON.stringify(right.sso ?? null);
  return left.rolearn === right.rolearn && sameSso && left.username === right.username && sameGroups(left.groups, right.groups) && (left.userid ?? '') === (right.userid ?? '');
}

/** Reports whether two user mappings have the same describeUser text, field by field. */
function sameUser(left: UserMapping, right: UserMapping): boolean {
  return left.userarn === right.userarn && left.username === right.username && sameGroups(left.groups, right.groups) && (left.userid ?? '') === (right.userid ?? '');
}

/**
 * Compares the winners of one key before and after an edit. Every name must keep its meaning except
 * `changed` (the map key the change names, if it is in this key), which must mean `meaning`.
 */
function sameWinners<Mapping>(
  before: ReadonlyMap<string, { readonly mapping: Mapping }>,
  after: ReadonlyMap<string, { readonly mapping: Mapping }>,
  changed: { readonly key: string; readonly meaning: string | undefined } | undefined,
  same: (left: Mapping, right: Mapping) => boolean,
  describe: (mapping: Mapping) => string,
): boolean {
  let kept = 0;
  for (const [key, entry] of after) {
    if (key === changed?.key) {
      if (changed.meaning === undefined || describe(entry.mapping) !== changed.meaning) return false;
      continue;
    }
    const old = before.get(key);
    if (old === undefined || !same(old.mapping, entry.mapping)) return false;
    kept++;
  }
  const changedBefore = changed !== undefined && before.has(changed.key) ? 1 : 0;
  const changedAfter = changed !== undefined && after.has(changed.key) ? 1 : 0;
  // Every old name other than the changed one is still there, and the changed one exists as intended.
  return kept === before.size - changedBefore && changedAfter === (changed?.meaning === undefined ? 0 : 1);
}

/** Splits a change name such as `mapRoles <key>` into the map key, when it names an entry of `prefix`. */
function changeIn(prefix: string, change: IntendedChange): { key: string; meaning: string | undefined } | undefined {
  return change.name.startsWith(`${prefix} `) ? { key: change.name.slice(prefix.length + 1), meaning: change.meaning } : undefined;
}

function sameAccounts(before: ReadonlySet<string>, after: ReadonlySet<string>, change: IntendedChange): boolean {
  const changed = changeIn('mapAccounts', change);
  const expected = new Set(before);
  if (changed !== undefined && changed.meaning === undefined) expected.delete(changed.key);
  else if (changed !== undefined) {
    // meaningOf gives every account the meaning 'allowed', so any other meaning cannot match.
    if (changed.meaning !== 'allowed') return false;
    expected.add(changed.key);
  }
  return expected.size === after.size && [...after].every((account) => expected.has(account));
}

/**
 * Reports whether `after` means exactly what `before` meant plus the intended change, as
 * `changedNames(expectedMeaning(before, change), meaningOf(after))` being empty would. It compares the
 * resolved entries field by field, so it builds no description per entry. A false result is not an
 * error by itself: the caller then runs the full comparison, which names what changed.
 */
export function meansChangeOnly(before: ParsedAwsAuth, after: ParsedAwsAuth, change: IntendedChange): boolean {
  const known = ['mapRoles', 'mapUsers', 'mapAccounts'].some((prefix) => change.name.startsWith(`${prefix} `));
  if (!known) return false;
  const was = resolvedOf(before);
  const now = resolvedOf(after);
  return (
    sameWinners(was.roles, now.roles, changeIn('mapRoles', change), sameRole, describeRole) &&
    sameWinners(was.users, now.users, changeIn('mapUsers', change), sameUser, describeUser) &&
    sameAccounts(was.accounts, now.accounts, change) &&
    DATA_KEYS.every((key) => rejectedCount(before, key) === rejectedCount(after, key)) &&
    ignoredKeys(before) === ignoredKeys(after)
  );
}
