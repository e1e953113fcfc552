import { ArnError, canonicalize, parseArn, parsePrincipal, roleHasPath, stripPath, type Principal } from '../arn/index.js';
import { ssoPattern, ssoPatternMatches } from '../mapping/records.js';
import { TEMPLATE_PLACEHOLDERS } from '../mapping/templates.js';
import type { EntryOrigin } from '../mapping/types.js';
import { shapeIssue, shapeProblem } from './guards.js';
import { equalFold, foldKey } from './gofold.js';
import type { ResolvedAwsAuth } from './resolve.js';
import { DATA_KEYS, type DataKey, type ParsedAwsAuth, type Problem, type RoleEntry, type UserEntry } from './types.js';

/** The input of every lint rule. */
export interface RuleContext {
  readonly parsed: ParsedAwsAuth;
  readonly resolved: ResolvedAwsAuth;
  /** Canonical ARNs of the cluster creator(s). */
  readonly creators: readonly string[];
  /** Canonical role ARNs that nodes use and that must stay mapped. */
  readonly nodeRoles: readonly string[];
}

export type Rule = (context: RuleContext) => Problem[];

type Entry = RoleEntry | UserEntry;

function arnOf(entry: Entry): string {
  return 'rolearn' in entry.mapping ? entry.mapping.rolearn : entry.mapping.userarn;
}

function where(origin: EntryOrigin): string {
  return `${origin.key}[${origin.index}]${origin.line === undefined ? '' : ` (line ${origin.line})`}`;
}

/** Returns the `entry` and `line` parameters of `where(origin)`, or `<prefix>` and `<prefix>Line` for a second entry. */
function whereParams(origin: EntryOrigin, prefix = 'entry'): Record<string, string | number> {
  const lineName = prefix === 'entry' ? 'line' : `${prefix}Line`;
  return { [prefix]: `${origin.key}[${origin.index}]`, ...(origin.line === undefined ? {} : { [lineName]: origin.line }) };
}

function at(origin: EntryOrigin): Pick<Problem, 'key' | 'index' | 'line'> {
  return { key: origin.key, index: origin.index, ...(origin.line === undefined ? {} : { line: origin.line }) };
}

function tryPrincipal(arn: string): Principal | undefined {
  try {
    return parsePrincipal(arn);
  } catch {
    return undefined;
  }
}

function allEntries(parsed: ParsedAwsAuth): Entry[] {
  return [...parsed.roles, ...parsed.users];
}

/** Drops a role path, or returns the text unchanged when it is not a valid principal ARN. */
function withoutPath(arn: string): string {
  return tryPrincipal(arn) === undefined ? arn : stripPath(arn);
}

/** The creator is admin outside aws-auth already; an entry for it can only narrow or break that. */
export const creatorInMap: Rule = ({ parsed, creators }) =>
  allEntries(parsed).flatMap((entry) => {
    const arn = arnOf(entry);
    const creator = creators.find((candidate) => equalFold(candidate, arn) || equalFold(candidate, withoutPath(arn)));
    if (creator === undefined) return [];
    return [{
      code: 'CREATOR_IN_MAP',
      severity: 'warning',
      ...at(entry.origin),
      message: `${where(entry.origin)} maps the cluster creator ${creator}, which EKS already makes an admin outside aws-auth; a wrong entry here can take that access away`,
      fix: `remove the entry: kubeiam revoke ${entry.origin.key === 'mapRoles' ? 'role' : 'user'} ${arn}`,
      params: { ...whereParams(entry.origin), creator, kind: entry.origin.key === 'mapRoles' ? 'role' : 'user', arn },
    }];
  });

/** STS reports assumed roles without their path, so a rolearn with a path never matches. */
export const roleArnHasPath: Rule = ({ parsed }) =>
  parsed.roles.flatMap((entry) => {
    const arn = entry.mapping.rolearn;
    if (!roleHasPath(arn) || tryPrincipal(arn) === undefined) return [];
    const stripped = withoutPath(arn);
    return [{
      code: 'ROLE_ARN_HAS_PATH',
      severity: 'error',
      ...at(entry.origin),
      message: `${where(entry.origin)}: rolearn ${arn} has a path; STS reports the role as ${stripped}, so this entry never matches`,
      fix: `rolearn: ${stripped}`,
      params: { ...whereParams(entry.origin), arn, stripped },
    }];
  });

/** An STS session ARN names one session; the authenticator compares the role ARN. */
export const assumedRoleArn: Rule = ({ parsed }) =>
  allEntries(parsed).flatMap((entry) => {
    const principal = tryPrincipal(arnOf(entry));
    if (principal?.type !== 'ASSUMED_ROLE') return [];
    return [{
      code: 'ASSUMED_ROLE_ARN',
      severity: 'error',
      ...at(entry.origin),
      message: `${where(entry.origin)}: ${arnOf(entry)} is an STS assumed-role (session) ARN; callers are compared by their role ARN, so this entry never matches`,
      fix: `map the role in mapRoles: rolearn: ${principal.canonicalArn}`,
      params: { ...whereParams(entry.origin), arn: arnOf(entry), roleArn: principal.canonicalArn },
    }];
  });

/** ARNs that are not IAM principals match no caller. */
export const invalidArn: Rule = ({ parsed }) =>
  allEntries(parsed).flatMap((entry) => {
    const arn = arnOf(entry);
    if ('sso' in entry.mapping && entry.mapping.sso !== undefined) return [];
    let reason: string;
    try {
      const problem = shapeProblem(parsePrincipal(arn));
      if (problem === undefined) return [];
      reason = problem;
    } catch (error) {
      reason = (error as Error).message;
    }
    const { term, params } = invalidArnReason(arn);
    return [{
      code: 'ARN_INVALID',
      severity: 'error',
      ...at(entry.origin),
      message: `${where(entry.origin)}: '${arn}' is not a valid IAM principal ARN (${reason}), so it matches no caller`,
      fix: 'write the ARN that `aws sts get-caller-identity` prints (role ARN for assumed roles)',
      params: { ...whereParams(entry.origin), arn, ...params },
      terms: { reason: term },
    }];
  });

/**
 * Names why an ARN is not a valid principal, as a `lintTerm.arnReason.*` phrase and its values. The
 * phrases repeat the messages of parsePrincipal and shapeProblem, which the lint tests compare.
 */
function invalidArnReason(arn: string): { term: string; params: Record<string, string> } {
  let principal: Principal;
  try {
    principal = parsePrincipal(arn);
  } catch (error) {
    const code = error instanceof ArnError ? error.code : 'ARN_INVALID';
    if (code === 'ARN_INVALID') return { term: arn.startsWith('arn:') ? 'arnReason.sections' : 'arnReason.prefix', params: {} };
    if (code === 'ARN_PARTITION') return { term: 'arnReason.partition', params: {} };
    if (code === 'ARN_ASSUMED_ROLE') return { term: 'arnReason.assumedRole', params: {} };
    const { service, resource } = parseArn(arn);
    return { term: code === 'ARN_RESOURCE' ? 'arnReason.resource' : 'arnReason.service', params: { service, resource } };
  }
  const issue = shapeIssue(principal);
  if (issue?.kind === 'name') return { term: 'arnReason.name', params: { name: issue.name } };
  return { term: 'arnReason.account', params: { accountId: principal.accountId } };
}

/** A user ARN in mapRoles (or a role ARN in mapUsers) works, but not where readers look for it. */
export const arnInWrongKey: Rule = ({ parsed }) =>
  allEntries(parsed).flatMap((entry) => {
    const principal = tryPrincipal(arnOf(entry));
    if (principal === undefined) return [];
    const isRoleKey = entry.origin.key === 'mapRoles';
    const isRole = principal.type === 'ROLE' || principal.type === 'ASSUMED_ROLE';
    if (isRoleKey === isRole) return [];
    return [{
      code: isRoleKey ? 'USER_ARN_IN_MAP_ROLES' : 'ROLE_ARN_IN_MAP_USERS',
      severity: 'warning',
      ...at(entry.origin),
      message: `${where(entry.origin)}: ${arnOf(entry)} is ${isRole ? 'a role' : 'not a role'} ARN in ${entry.origin.key}; it still matches, but tools that edit aws-auth look for it in ${isRoleKey ? 'mapUsers' : 'mapRoles'}`,
      fix: `move the entry to ${isRoleKey ? 'mapUsers (userarn:)' : 'mapRoles (rolearn:)'}`,
      params: { ...whereParams(entry.origin), arn: arnOf(entry) },
    }];
  });

/** Plain `{{…}}` is a YAML flow mapping, which breaks the whole key. */
export const unquotedTemplate: Rule = ({ parsed }) =>
  DATA_KEYS.flatMap((key) => {
    const state = parsed.keys[key];
    if (state.status !== 'broken' || state.text === undefined) return [];
    const lines = state.text.split('\n');
    return lines.flatMap((text, index) => {
      const match = /^(\s*(?:-\s+)?[^\s#'"][^:#]*:\s+|\s*-\s+)(\{\{[^\n]*)$/.exec(text);
      if (match === null) return [];
      const line = (state.lineOffset ?? 0) + index + 1;
      const value = (match[2] ?? '').trim();
      return [{
        code: 'TEMPLATE_UNQUOTED',
        severity: 'error',
        key,
        line,
        message: `${key} line ${line}: the unquoted template ${value} is read as a YAML mapping, so the whole ${key} key fails to load`,
        fix: `quote it: ${(match[1] ?? '').trimStart()}"${value}"`,
        params: { key, line, value, quoted: `${(match[1] ?? '').trimStart()}"${value}"` },
      }];
    });
  });

/** The last entry with a key wins and groups are not merged, which surprises readers. */
export const duplicateArn: Rule = ({ resolved }) =>
  [...resolved.shadowedRoles, ...resolved.shadowedUsers]
    .filter(({ entry, by }) => !isCaseOnlyUserDuplicate(entry, by))
    .map(({ entry, by }) => ({
      code: 'DUPLICATE_ARN',
      severity: 'warning' as const,
      ...at(entry.origin),
      message: `${where(entry.origin)} is shadowed by ${where(by.origin)}: both map ${'sso' in entry.mapping && entry.mapping.sso ? ssoPattern(entry.mapping.sso) : arnOf(by)}, the last one wins and groups are not merged, so only [${by.mapping.groups.join(', ')}] apply`,
      fix: `merge the groups into ${where(by.origin)} and delete ${where(entry.origin)}`,
      params: {
        ...whereParams(entry.origin),
        ...whereParams(by.origin, 'by'),
        arn: 'sso' in entry.mapping && entry.mapping.sso ? ssoPattern(entry.mapping.sso) : arnOf(by),
        groups: by.mapping.groups.join(', '),
      },
    }));

function isCaseOnlyUserDuplicate(entry: Entry, by: Entry): boolean {
  return entry.origin.key === 'mapUsers' && arnOf(entry) !== arnOf(by);
}

/** aws-iam-authenticator keeps both and picks one at random per request; kubeiam uses the later. */
export const userArnCaseDuplicate: Rule = ({ resolved }) =>
  resolved.shadowedUsers
    .filter(({ entry, by }) => isCaseOnlyUserDuplicate(entry, by))
    .map(({ entry, by }) => ({
      code: 'USER_ARN_CASE_DUPLICATE',
      severity: 'warning' as const,
      ...at(entry.origin),
      message: `${where(entry.origin)} (${arnOf(entry)}) and ${where(by.origin)} (${arnOf(by)}) differ only in case; aws-iam-authenticator picks either one at random, kubeiam uses ${where(by.origin)}`,
      fix: `delete ${where(entry.origin)}`,
      params: { ...whereParams(entry.origin), ...whereParams(by.origin, 'by'), arn: arnOf(entry), byArn: arnOf(by) },
    }));

/** Entry keys in other cases work with Go's decoder but not with every tool that reads aws-auth. */
export const entryKeyCase: Rule = ({ parsed }) =>
  allEntries(parsed).flatMap((entry) =>
    entry.keys
      .filter((key) => key.written !== key.field)
      .map((key) => ({
        code: 'ENTRY_KEY_CASE',
        severity: 'warning' as const,
        key: entry.origin.key,
        index: entry.origin.index,
        line: key.line,
        message: `${where(entry.origin)}: key '${key.written}' works here because Go matches field names case-insensitively, but not with every authenticator version or aws-auth tool`,
        fix: `write '${key.field}'`,
        params: { ...whereParams(entry.origin), written: key.written, field: key.field },
      })),
  );

/** Only mapRoles, mapUsers and mapAccounts are read, case-sensitively. */
export const ignoredDataKey: Rule = ({ parsed }) =>
  parsed.ignoredKeys.map(({ name, line }) => {
    const intended = DATA_KEYS.find((key) => foldKey(key) === foldKey(name));
    return {
      code: 'DATA_KEY_IGNORED',
      severity: 'warning' as const,
      key: name,
      line,
      message: intended === undefined
        ? `data key '${name}' is ignored: only mapRoles, mapUsers and mapAccounts are read`
        : `data key '${name}' is ignored because key names are case-sensitive, so nothing in it is mapped`,
      fix: intended === undefined ? 'remove the key, or rename it to mapRoles, mapUsers or mapAccounts if it holds mappings' : `rename it to ${intended}`,
      params: { name, ...(intended === undefined ? {} : { intended }) },
      variant: intended === undefined ? 'unknown' : 'case',
    };
  });

const MERGED_ITEM = /\S\s+-\s+\S/;

/** An extra space before `-` folds the next list item into the previous group. */
export const mergedGroup: Rule = ({ parsed }) =>
  allEntries(parsed).flatMap((entry) =>
    entry.mapping.groups
      .filter((group) => MERGED_ITEM.test(group))
      .map((group) => {
        const line = joinedLine(parsed, entry, group);
        return {
          code: 'GROUP_MERGED',
          severity: 'error' as const,
          ...at(entry.origin),
          ...(line === undefined ? {} : { line }),
          message: `${where(entry.origin)}: group '${group}' is one group, not several: an extra space before a '-' joined the list items${line === undefined ? '' : ` at line ${line}`}`,
          fix: `align the '-' of every item: ${group.split(/\s+-\s+/).map((part) => `- ${part}`).join(' / ')}`,
          params: {
            ...whereParams(entry.origin),
            group,
            items: group.split(/\s+-\s+/).map((part) => `- ${part}`).join(' / '),
            ...(line === undefined ? {} : { joinedLine: line }),
          },
          ...(line === undefined ? { variant: 'noLine' } : {}),
        };
      }),
  );

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * Finds the whole-file line where a merged group's second item was written: the first line after the
 * entry's `groups` key that starts with `- ` and that item. Returns undefined when the key text or the
 * line cannot be found, so the finding keeps the entry's line.
 */
function joinedLine(parsed: ParsedAwsAuth, entry: Entry, group: string): number | undefined {
  const key = entry.origin.key;
  if (key !== 'mapRoles' && key !== 'mapUsers') return undefined;
  const state = parsed.keys[key];
  const groupsKey = entry.keys.find((key) => key.field === 'groups');
  const second = group.split(/\s+-\s+/)[1];
  if (state.text === undefined || groupsKey === undefined || second === undefined) return undefined;

  const offset = state.lineOffset ?? 0;
  const lines = state.text.split('\n');
  const keyIndent = indentOf(lines[groupsKey.line - offset - 1] ?? '');
  for (let index = groupsKey.line - offset; index < lines.length; index++) {
    const text = lines[index] ?? '';
    const content = text.trim();
    if (content === '') continue;
    // A line indented no deeper than `groups:` starts the next field or entry.
    if (indentOf(text) <= keyIndent) return undefined;
    if (content.startsWith('-') && content.slice(1).trim().startsWith(second)) return offset + index + 1;
  }
  return undefined;
}

/** aws-iam-authenticator 0.7.18 empties the partition of its pattern when one is given. */
export const ssoExplicitPartition: Rule = ({ parsed }) =>
  parsed.roles.flatMap((entry) => {
    const partition = entry.mapping.sso?.partition ?? '';
    if (partition === '') return [];
    return [{
      code: 'SSO_PARTITION_SET',
      severity: 'warning',
      ...at(entry.origin),
      message: `${where(entry.origin)}: SSO entry sets partition '${partition}'; aws-iam-authenticator 0.7.18 then matches no role at all (kubeiam matches ${ssoPattern(entry.mapping.sso ?? { permissionSetName: '', accountID: '', partition })})`,
      fix: partition === 'aws' ? 'remove the partition field' : 'map the roles with rolearn entries for this partition',
      params: { ...whereParams(entry.origin), partition, pattern: ssoPattern(entry.mapping.sso ?? { permissionSetName: '', accountID: '', partition }) },
      variant: partition === 'aws' ? 'aws' : 'other',
    }];
  });

/** aws-iam-authenticator picks at random when an exact entry and an SSO pattern both match a role. */
export const exactAndSsoOverlap: Rule = ({ resolved }) => {
  const winners = [...resolved.roles.values()];
  const patterns = winners.filter((entry) => entry.mapping.sso !== undefined);
  return winners
    .filter((entry) => entry.mapping.sso === undefined)
    .flatMap((exact) =>
      patterns
        .filter((sso) => sso.mapping.sso !== undefined && ssoPatternMatches(sso.mapping.sso, exact.mapping.rolearn))
        .map((sso) => ({
          code: 'EXACT_AND_SSO_MATCH',
          severity: 'warning' as const,
          ...at(exact.origin),
          message: `${where(exact.origin)} and the SSO entry ${where(sso.origin)} both match ${exact.mapping.rolearn}; aws-iam-authenticator picks either at random, kubeiam uses the exact entry`,
          fix: 'keep one of the two, or give both the same username and groups',
          params: { ...whereParams(exact.origin), ...whereParams(sso.origin, 'sso'), arn: exact.mapping.rolearn },
        })),
    );
};

/** Access entries reject these prefixes, and authenticators with reserved prefixes deny them. */
const RESERVED_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];

export const reservedUsername: Rule = ({ parsed }) =>
  allEntries(parsed).flatMap((entry) => {
    const username = entry.mapping.username;
    const prefix = RESERVED_PREFIXES.find((candidate) => username.startsWith(candidate));
    if (prefix === undefined || username.startsWith('system:node:')) return [];
    return [{
      code: 'USERNAME_RESERVED',
      severity: 'warning',
      ...at(entry.origin),
      message: `${where(entry.origin)}: username '${username}' starts with the reserved prefix '${prefix}'; EKS access entries reject it and authenticators configured with reserved prefixes deny it`,
      fix: 'choose a username without system:, eks:, aws:, amazon: or iam:',
      params: { ...whereParams(entry.origin), username, prefix },
    }];
  });

const PLACEHOLDER = /\{\{[^{}]*\}\}/g;
const SESSION_PLACEHOLDERS = ['{{EC2PrivateDNSName}}', '{{SessionName}}', '{{SessionNameRaw}}'];

/** Unknown placeholders stay as written; session placeholders are empty for IAM users. */
export const templatePlaceholders: Rule = ({ parsed }) =>
  allEntries(parsed).flatMap((entry) =>
    [entry.mapping.username, ...entry.mapping.groups].flatMap((value) =>
      [...value.matchAll(PLACEHOLDER)].flatMap(([placeholder]) => {
        if (!(TEMPLATE_PLACEHOLDERS as readonly string[]).includes(placeholder)) {
          return [{
            code: 'TEMPLATE_UNKNOWN',
            severity: 'warning' as const,
            ...at(entry.origin),
            message: `${where(entry.origin)}: ${placeholder} in '${value}' is not a known placeholder and stays as written`,
            fix: `use one of ${TEMPLATE_PLACEHOLDERS.join(', ')}`,
            params: { ...whereParams(entry.origin), placeholder, value, placeholders: TEMPLATE_PLACEHOLDERS.join(', ') },
          }];
        }
        if (entry.origin.key === 'mapUsers' && SESSION_PLACEHOLDERS.includes(placeholder)) {
          return [{
            code: 'TEMPLATE_NO_SESSION',
            severity: 'warning' as const,
            ...at(entry.origin),
            message: `${where(entry.origin)}: ${placeholder} renders from the role session name, which IAM users do not have`,
            fix: 'use a fixed username for IAM users',
            params: { ...whereParams(entry.origin), placeholder },
          }];
        }
        return [];
      }),
    ),
  );

/** Accounts are compared as exact strings with the caller's 12-digit account ID. */
export const accountIdFormat: Rule = ({ parsed }) =>
  parsed.accounts
    .filter((account) => !/^[0-9]{12}$/.test(account.accountId))
    .map((account) => ({
      code: 'ACCOUNT_ID_INVALID',
      severity: 'warning' as const,
      ...at(account.origin),
      message: `${where(account.origin)}: '${account.accountId}' is not a 12-digit AWS account ID, so no caller matches it`,
      fix: 'write the 12 digits in quotes, leading zeros included: - "012345678901"',
      params: { ...whereParams(account.origin), accountId: account.accountId },
    }));

const NODE_GROUPS = ['system:bootstrappers', 'system:nodes'];

/** Nodes need both groups to join; a missing node role takes every node of a group out of the cluster. */
export const nodeRoles: Rule = ({ parsed, resolved, nodeRoles: hints }) => {
  const nodeEntries = parsed.roles.filter((entry) => entry.mapping.username.startsWith('system:node:'));
  const missingGroups = nodeEntries.flatMap((entry) => {
    const missing = NODE_GROUPS.filter((group) => !entry.mapping.groups.includes(group));
    if (missing.length === 0) return [];
    return [{
      code: 'NODE_GROUPS_MISSING',
      severity: 'error' as const,
      ...at(entry.origin),
      message: `${where(entry.origin)}: node role ${entry.mapping.rolearn} lacks ${missing.join(' and ')}, so its nodes cannot join the cluster`,
      fix: `groups: [${NODE_GROUPS.join(', ')}]`,
      params: { ...whereParams(entry.origin), arn: entry.mapping.rolearn, missing: missing.join(', '), groups: NODE_GROUPS.join(', ') },
      ...(missing.length > 1 ? { variant: 'both' } : {}),
    }];
  });
  const unmapped = hints
    .filter((hint) => ![...resolved.roles.values()].some((entry) => equalFold(entry.mapping.rolearn, hint)))
    .map((hint) => ({
      code: 'NODE_ROLE_UNMAPPED',
      severity: 'error' as const,
      key: 'mapRoles',
      message: `node role ${hint} is not mapped, so its nodes cannot join the cluster`,
      fix: `kubeiam grant role ${hint} --username 'system:node:{{EC2PrivateDNSName}}' --group system:bootstrappers --group system:nodes`,
      params: { arn: hint, username: 'system:node:{{EC2PrivateDNSName}}' },
    }));
  return [...missingGroups, ...unmapped];
};

/** Flags a ConfigMap with another name or namespace, which the authenticator never reads. */
export const configMapIdentity: Rule = ({ parsed }) => {
  if (parsed.format !== 'configmap') return [];
  const { name, namespace } = parsed.metadata;
  const problems: Problem[] = [];
  if (name !== undefined && name !== 'aws-auth') {
    problems.push({ code: 'CONFIGMAP_NAME', severity: 'warning', message: `the ConfigMap is named '${name}'; the authenticator reads only aws-auth`, fix: 'name: aws-auth', params: { name } });
  }
  if (namespace !== undefined && namespace !== 'kube-system') {
    problems.push({ code: 'CONFIGMAP_NAMESPACE', severity: 'warning', message: `the ConfigMap is in namespace '${namespace}'; the authenticator reads only kube-system`, fix: 'namespace: kube-system', params: { namespace } });
  }
  return problems;
};

/**
 * Finds tabs in the indentation of mapRoles or mapUsers. YAML forbids them, so the key fails to parse
 * with a message that never mentions a tab; this rule names the line and the fix.
 */
export const tabIndentation: Rule = ({ parsed }) =>
  DATA_KEYS.flatMap((key) => {
    const state = parsed.keys[key];
    if (state.text === undefined) return [];
    const lines = state.text.split(/\r?\n/);
    const index = lines.findIndex((line) => /^[ ]*\t/.test(line));
    if (index < 0) return [];
    const line = (state.lineOffset ?? 0) + index + 1;
    return [{
      code: 'TAB_INDENT',
      severity: 'error' as const,
      key,
      line,
      message: `${key} line ${line} is indented with a tab, which YAML does not allow, so ${key} fails to load`,
      fix: 'indent with spaces only',
      params: { key, line },
    }];
  });

/** The API server rejects a ConfigMap whose data keys and values add up to more than 1 MiB. */
export const CONFIGMAP_DATA_LIMIT = 1024 * 1024;
/** Size above which lint warns, so that the next few grants still fit under the limit. */
const CONFIGMAP_DATA_WARN = Math.floor(CONFIGMAP_DATA_LIMIT * 0.9);

/**
 * Counts the bytes of the three mapping keys and their names, as the API server's ConfigMap
 * validation does over all data keys. Other data keys are not read, so the total is a lower bound.
 * `replaced` gives the new text of one key, to size an edit before it is written.
 */
export function configMapDataBytes(parsed: ParsedAwsAuth, replaced?: { readonly key: DataKey; readonly text: string }): number {
  let bytes = 0;
  for (const key of DATA_KEYS) {
    const text = key === replaced?.key ? replaced.text : parsed.keys[key].text;
    if (text !== undefined) bytes += key.length + Buffer.byteLength(text, 'utf8');
  }
  return bytes;
}

/** Warns near the ConfigMap size limit and errs over it. */
export const configMapSize: Rule = ({ parsed }) => {
  const bytes = configMapDataBytes(parsed);
  if (bytes <= CONFIGMAP_DATA_WARN) return [];
  const kib = (bytes / 1024).toFixed(0);
  if (bytes > CONFIGMAP_DATA_LIMIT) {
    return [{
      code: 'CONFIGMAP_TOO_LARGE',
      severity: 'error' as const,
      message: `the data of this ConfigMap is ${bytes} bytes (${kib} KiB); the API server rejects a ConfigMap over 1048576 bytes (1 MiB), so it cannot be applied`,
      fix: 'map roles through groups or SSO patterns instead of one entry per identity, or move identities to EKS access entries',
      params: { bytes, kib },
      variant: 'over',
    }];
  }
  return [{
    code: 'CONFIGMAP_TOO_LARGE',
    severity: 'warning' as const,
    message: `the data of this ConfigMap is ${bytes} bytes (${kib} KiB), over 90% of the 1 MiB the API server accepts`,
    fix: 'map roles through groups or SSO patterns instead of one entry per identity, or move identities to EKS access entries',
    params: { bytes, kib },
    variant: 'near',
  }];
};

/**
 * Flags a document with no content at all. A ConfigMap always has at least its kind and name, so an
 * empty input usually means the command that produced it failed, as in `kubectl get … | kubeiam lint -`.
 */
export const emptyDocument: Rule = ({ parsed }) => {
  // A text that failed to parse is also `empty`, and its syntax problem already explains it.
  if (parsed.format !== 'empty' || parsed.problems.length > 0) return [];
  const command = 'kubectl get configmap aws-auth -n kube-system -o yaml';
  return [{
    code: 'DOCUMENT_EMPTY',
    severity: 'error' as const,
    message: 'the input is empty: it contains no ConfigMap and no mappings, so as aws-auth it locks out every identity but the cluster creator',
    fix: `check the command that produced it, e.g. \`${command}\``,
    params: { command },
  }];
};

export const RULES: readonly Rule[] = [
  creatorInMap,
  roleArnHasPath,
  assumedRoleArn,
  invalidArn,
  arnInWrongKey,
  unquotedTemplate,
  duplicateArn,
  userArnCaseDuplicate,
  entryKeyCase,
  ignoredDataKey,
  mergedGroup,
  ssoExplicitPartition,
  exactAndSsoOverlap,
  reservedUsername,
  templatePlaceholders,
  accountIdFormat,
  nodeRoles,
  configMapIdentity,
  tabIndentation,
  configMapSize,
  emptyDocument,
];

/** Canonicalises ARNs given by the caller, keeping invalid ones as written so rules still compare them. */
export function canonicalArns(arns: readonly string[]): string[] {
  return arns.map((arn) => {
    try {
      return canonicalize(arn);
    } catch {
      return arn;
    }
  });
}
