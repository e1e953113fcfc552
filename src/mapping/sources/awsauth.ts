import type { Identity } from '../../arn/identity.js';
import { equalFold } from '../../awsauth/gofold.js';
import { resolveAwsAuth } from '../../awsauth/resolve.js';
import { DATA_KEYS, type DataKey, type ParsedAwsAuth, type RejectedEntry } from '../../awsauth/types.js';
import { describeOrigin, MappingTable, originParams, type TableRole, type TableUser } from '../table.js';
import type { EntryOrigin, EntryVerdict, MappingSource } from '../types.js';

export interface AwsAuthSourceOptions {
  /** Source name in messages and in MappedUser.source. Default: `EKSConfigMap`. */
  readonly name?: string;
  /** Match `sso` entries (aws-iam-authenticator's `SSORoleMatch` feature gate). Default: false. */
  readonly ssoRoleMatch?: boolean;
  /** Usernames with these prefixes are denied. Default: none. */
  readonly reservedPrefixes?: readonly string[];
}

/**
 * Creates a source with EKSConfigMap semantics from a parsed aws-auth document: configured ARNs are
 * compared as written (no canonicalisation), case-insensitively; the last duplicate wins. Where
 * aws-iam-authenticator picks at random, kubeiam decides: exact rolearn entries before SSO patterns,
 * SSO patterns in file order, and of two user ARNs that differ only in case the later one.
 */
export function createAwsAuthSource(parsed: ParsedAwsAuth, options: AwsAuthSourceOptions = {}): MappingSource {
  const name = options.name ?? 'EKSConfigMap';
  const resolved = resolveAwsAuth(parsed);
  const shadowedBy = new Map<object, EntryOrigin>();
  for (const { entry, by } of [...resolved.shadowedRoles, ...resolved.shadowedUsers]) shadowedBy.set(entry, by.origin);

  const roles: TableRole[] = (parsed.valid ? parsed.roles : []).map((entry) =>
    withShadow({ mapping: entry.mapping, matchArn: entry.mapping.rolearn, configuredArn: entry.mapping.rolearn, origin: entry.origin }, shadowedBy.get(entry)),
  );
  const users: TableUser[] = (parsed.valid ? parsed.users : []).map((entry) =>
    withShadow({ mapping: entry.mapping, matchArn: entry.mapping.userarn, configuredArn: entry.mapping.userarn, origin: entry.origin }, shadowedBy.get(entry)),
  );
  const table = new MappingTable(roles, users, { ssoRoleMatch: options.ssoRoleMatch ?? false, canonicalizesAtLoad: false });

  return {
    name,
    reservedPrefixes: options.reservedPrefixes ?? [],
    map: (identity) => table.map(identity),
    isAccountAllowed: (accountId) => resolved.accounts.has(accountId),
    explain: (identity) => [
      ...explainKeys(parsed, identity),
      ...table.explain(identity),
      ...parsed.rejected.map((entry) => explainRejected(entry, identity)),
    ],
  };
}

/** Adds `shadowedBy` to a table entry that a later entry replaces. Spreading only then keeps 10,000+ entries cheap. */
function withShadow<Entry extends object>(entry: Entry, origin: EntryOrigin | undefined): Entry {
  return origin === undefined ? entry : { ...entry, shadowedBy: origin };
}

/** Finds the first line of a key's text that mentions the ARN, as a whole-file line. */
function lineMentioning(text: string, arn: string, lineOffset: number): number | undefined {
  const lower = arn.toLowerCase();
  const index = text.split('\n').findIndex((line) => line.toLowerCase().includes(lower));
  return index < 0 ? undefined : lineOffset + index + 1;
}

function explainKeys(parsed: ParsedAwsAuth, identity: Identity): EntryVerdict[] {
  return DATA_KEYS.filter((key) => parsed.keys[key].status === 'broken').map((key) => explainBrokenKey(parsed, key, identity));
}

function explainBrokenKey(parsed: ParsedAwsAuth, key: DataKey, identity: Identity): EntryVerdict {
  const state = parsed.keys[key];
  const errorLine = state.error?.line ?? state.line ?? 0;
  const cause = parsed.valid
    ? `${key} failed to parse at line ${errorLine}: ${state.error?.message ?? 'unknown error'}`
    : `the ConfigMap is not valid (${parsed.problems.find((problem) => problem.severity === 'error')?.message ?? 'unknown error'})`;
  const mention = state.text === undefined ? undefined : lineMentioning(state.text, identity.canonicalArn, state.lineOffset ?? 0);
  const mentionText = mention === undefined ? '' : `; ${identity.canonicalArn} appears at line ${mention}`;
  const mentionParams: Record<string, string> = mention === undefined ? {} : { arn: identity.canonicalArn, mentionLine: String(mention) };
  // NOTE: `error` of an invalid document is the English message of its first problem. Other languages
  // would need that problem's params, as lint uses them, so the explain trace shows it in English.
  const params: Record<string, string> = parsed.valid
    ? { key, line: String(errorLine), error: state.error?.message ?? 'unknown error', ...mentionParams }
    : { line: String(errorLine), error: parsed.problems.find((problem) => problem.severity === 'error')?.message ?? 'unknown error', ...mentionParams };
  return {
    kind: 'key',
    matched: false,
    reason: 'ENTRY_IN_BROKEN_KEY',
    message: `${cause}, so none of its entries load${mentionText}`,
    origin: { source: parsed.sourceName, key, index: 0, line: errorLine },
    fix: `correct line ${errorLine}, then run \`kubeiam lint\``,
    detail: { id: parsed.valid ? 'KEY_BROKEN' : 'DOCUMENT_INVALID', params },
  };
}

function explainRejected(rejected: RejectedEntry, identity: Identity): EntryVerdict {
  const arn = rejected.kind === 'role' ? rejected.mapping.rolearn : rejected.mapping.userarn;
  const related = arn !== '' && equalFold(arn, identity.canonicalArn);
  return {
    kind: rejected.kind,
    matched: false,
    reason: 'ENTRY_INVALID',
    message: `${describeOrigin(rejected.origin, 'entry')} is not loaded: ${rejected.error.message}${related ? ` (it names ${identity.canonicalArn})` : ''}`,
    origin: rejected.origin,
    entry: { username: rejected.mapping.username, groups: rejected.mapping.groups },
    detail: { id: 'ENTRY_INVALID', params: { ...originParams(rejected.origin), error: rejected.error.message, ...(related ? { arn: identity.canonicalArn } : {}) } },
  };
}
