import { ssoPattern } from '../mapping/records.js';
import { resolveAwsAuth } from './resolve.js';
import type { ParsedAwsAuth } from './types.js';

/** One row of `kubeiam list`: an entry of aws-auth and whether it takes effect. */
export interface EntryRow {
  readonly kind: 'role' | 'user' | 'account';
  /** Role or user ARN, the SSO pattern of an SSO entry, or the account ID. */
  readonly arn: string;
  readonly username: string;
  readonly groups: readonly string[];
  readonly key: string;
  readonly index: number;
  readonly line?: number;
  /** `shadowed`: a later duplicate wins; `rejected`: failed validation, not loaded. */
  readonly status: 'active' | 'shadowed' | 'rejected';
}

function byLine(left: EntryRow, right: EntryRow): number {
  return (left.line ?? 0) - (right.line ?? 0) || left.index - right.index;
}

/** Lists every entry of a parsed aws-auth as rows, in file order, with its status. */
export function listEntries(parsed: ParsedAwsAuth): EntryRow[] {
  const resolved = resolveAwsAuth(parsed);
  const shadowed = new Set<object>([...resolved.shadowedRoles, ...resolved.shadowedUsers].map((item) => item.entry));
  const status = (entry: object): EntryRow['status'] => (shadowed.has(entry) ? 'shadowed' : 'active');
  const position = (origin: { key: string; index: number; line?: number }) => ({
    key: origin.key,
    index: origin.index,
    ...(origin.line === undefined ? {} : { line: origin.line }),
  });

  const roles: EntryRow[] = parsed.roles.map((entry) => ({
    kind: 'role',
    arn: entry.mapping.sso === undefined ? entry.mapping.rolearn : ssoPattern(entry.mapping.sso),
    username: entry.mapping.username,
    groups: entry.mapping.groups,
    ...position(entry.origin),
    status: status(entry),
  }));
  const users: EntryRow[] = parsed.users.map((entry) => ({
    kind: 'user',
    arn: entry.mapping.userarn,
    username: entry.mapping.username,
    groups: entry.mapping.groups,
    ...position(entry.origin),
    status: status(entry),
  }));
  const rejected: EntryRow[] = parsed.rejected.map((entry) => ({
    kind: entry.kind,
    arn: entry.kind === 'role' ? entry.mapping.rolearn : entry.mapping.userarn,
    username: entry.mapping.username,
    groups: entry.mapping.groups,
    ...position(entry.origin),
    status: 'rejected',
  }));
  const accounts: EntryRow[] = parsed.accounts.map((account) => ({
    kind: 'account',
    arn: account.accountId,
    username: '',
    groups: [],
    ...position(account.origin),
    status: 'active',
  }));
  return [...roles, ...users, ...rejected, ...accounts].sort(byLine);
}
