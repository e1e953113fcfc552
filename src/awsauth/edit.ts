import { roleMappingKey } from '../mapping/records.js';
import type { RoleMapping, UserMapping } from '../mapping/types.js';
import { writeDataValue } from './document.js';
import { equalFold, foldKey } from './gofold.js';
import { checkAccountId, checkMapping, checkRoleArn, checkUserArn, editError } from './guards.js';
import { appendEntryToList, InnerList, removeEntriesFromList, setEntryFields } from './innerlist.js';
import { parseAwsAuth } from './parse.js';
import { CONFIGMAP_DATA_LIMIT, configMapDataBytes } from './rules.js';
import { describeRole, describeUser, expectedMeaning, meaningOf, meansChangeOnly, resolvedOf, type IntendedChange } from './meaning.js';
import { DATA_KEYS, type DataKey, type ParsedAwsAuth, type ProblemParams, type RoleEntry, type UserEntry } from './types.js';

export interface RoleGrant {
  readonly rolearn: string;
  readonly username: string;
  /** Default: none. */
  readonly groups?: readonly string[];
}

export interface UserGrant {
  readonly userarn: string;
  readonly username: string;
  /** Default: none. */
  readonly groups?: readonly string[];
}

export interface EditOptions {
  /** Name for messages. Default: `aws-auth`. */
  readonly sourceName?: string;
}

export interface EditResult {
  /** The whole new document; the input text itself when nothing changed. */
  readonly text: string;
  readonly changed: boolean;
  readonly action: 'added' | 'updated' | 'unchanged' | 'removed';
  /** One sentence saying what changed, naming the entry and its line. */
  readonly summary: string;
  /** Things the caller should know that did not stop the edit. */
  readonly warnings: readonly string[];
  /** The same warnings with their codes and values, for messages in other languages. Absent when there are none. */
  readonly warningDetails?: readonly EditWarning[];
}

/** A warning of an edit: its English text, and the values of its catalogue template `editWarning.<code>`. */
export interface EditWarning {
  readonly code: 'USERNAME_RESERVED' | 'ARN_CASE_DIFFERS' | 'ENTRY_SHADOWED' | 'CONFIGMAP_TOO_LARGE';
  readonly message: string;
  readonly params: ProblemParams;
}

function warningFields(warnings: readonly EditWarning[]): Pick<EditResult, 'warnings' | 'warningDetails'> {
  return { warnings: warnings.map((warning) => warning.message), ...(warnings.length === 0 ? {} : { warningDetails: warnings }) };
}

/** Returns the `entry` and `line` parameters of `where(entry)`. */
function whereParams(entry: RoleEntry | UserEntry): ProblemParams {
  return { entry: `${entry.origin.key}[${entry.origin.index}]`, line: entry.origin.line ?? '?' };
}

/** Parses a document for editing; a document or key that fails to parse is not edited. */
function loadForEdit(text: string, options: EditOptions): ParsedAwsAuth {
  const parsed = parseAwsAuth(text, { sourceName: options.sourceName ?? 'aws-auth' });
  if (!parsed.valid) {
    const problem = parsed.problems.find((candidate) => candidate.severity === 'error');
    throw editError('EDIT_DOCUMENT_INVALID', `refusing to edit: ${problem?.message ?? 'the document is not a valid ConfigMap'}${problem?.fix ? `; ${problem.fix}` : ''}`, { line: problem?.line });
  }
  for (const key of DATA_KEYS) {
    const state = parsed.keys[key];
    if (state.status === 'broken') {
      const line = state.error?.line;
      throw editError(
        'EDIT_KEY_BROKEN',
        `refusing to edit: ${key} failed to parse at line ${line}: ${state.error?.message}; none of its entries load now, so fix line ${line} first (run \`kubeiam lint\`)`,
        { key, line },
      );
    }
  }
  return parsed;
}

function innerText(parsed: ParsedAwsAuth, key: DataKey): string | undefined {
  const state = parsed.keys[key];
  return state.status === 'ok' ? state.text : undefined;
}

export { meaningOf };

/**
 * Proves an edit before it is written: the new text must parse without broken keys and mean exactly
 * `expected` (what it meant before, plus the one intended change). Throws `EDIT_MEANING_CHANGED`.
 */
export function verifyEdit(before: ParsedAwsAuth, newText: string, expected: ReadonlyMap<string, string>): void {
  const after = parseAwsAuth(newText, { sourceName: before.sourceName });
  const broken = DATA_KEYS.filter((dataKey) => after.keys[dataKey].status === 'broken');
  const actual = meaningOf(after);
  const changed = changedNames(expected, actual);
  if (after.valid && broken.length === 0 && changed.length === 0) return;
  const reason = !after.valid || broken.length > 0 ? 'not parse' : `change other entries (${changed.join('; ')})`;
  throw editError(
    'EDIT_MEANING_CHANGED',
    `refusing to write: the edited document would ${reason}; this is a kubeiam bug, please report it with the input`,
    { changed },
  );
}

/** Lists the names whose meaning differs: those of `expected` first, then those only in `actual`, each once. */
function changedNames(expected: ReadonlyMap<string, string>, actual: ReadonlyMap<string, string>): string[] {
  const changed: string[] = [];
  for (const [name, meaning] of expected) if (actual.get(name) !== meaning) changed.push(name);
  for (const name of actual.keys()) if (!expected.has(name)) changed.push(name);
  return changed;
}

/**
 * Writes the new list into the document and proves the edit as verifyEdit does. A direct comparison
 * of the resolved entries accepts the usual case without describing every entry, and anything it does
 * not accept goes to verifyEdit, which throws with the names that changed.
 */
function commit(text: string, before: ParsedAwsAuth, key: DataKey, listText: string, change: IntendedChange): string {
  const newText = writeDataValue(text, before, key, listText);
  const after = parseAwsAuth(newText, { sourceName: before.sourceName });
  const parses = after.valid && DATA_KEYS.every((dataKey) => after.keys[dataKey].status !== 'broken');
  if (!parses || !meansChangeOnly(before, after, change)) verifyEdit(before, newText, expectedMeaning(before, change));
  return newText;
}

function formatGroups(groups: readonly string[]): string {
  return `[${groups.join(', ')}]`;
}

function where(entry: RoleEntry | UserEntry): string {
  return `${entry.origin.key}[${entry.origin.index}] (line ${entry.origin.line ?? '?'})`;
}

function sameList(left: readonly string[], right: readonly string[]): boolean {
  return left.length === right.length && left.every((value, index) => value === right[index]);
}

interface Grant {
  readonly key: 'mapRoles' | 'mapUsers';
  readonly arn: string;
  readonly username: string;
  readonly groups: readonly string[];
}

/**
 * Returns a warning when the data after an edit is over the API server's 1 MiB ConfigMap limit,
 * counted as the lint rule counts it. The file is still written, but `kubectl apply` of it fails.
 */
function sizeWarnings(before: ParsedAwsAuth, key: DataKey, listText: string): EditWarning[] {
  const bytes = configMapDataBytes(before, { key, text: listText });
  if (bytes <= CONFIGMAP_DATA_LIMIT) return [];
  return [{
    code: 'CONFIGMAP_TOO_LARGE',
    message: `the aws-auth data is now ${bytes} bytes, over the 1048576 bytes (1 MiB) the API server accepts for a ConfigMap, so applying it fails; to fit, map roles through groups or SSO patterns instead of one entry per identity, or move identities to EKS access entries (kubeiam migrate plan)`,
    params: { bytes },
  }];
}

function grantWarnings(grant: Grant): EditWarning[] {
  const reserved = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'].find((prefix) => grant.username.startsWith(prefix));
  if (reserved === undefined || grant.username.startsWith('system:node:')) return [];
  return [{
    code: 'USERNAME_RESERVED',
    message: `username '${grant.username}' starts with the reserved prefix '${reserved}'; EKS access entries reject it`,
    params: { username: grant.username, prefix: reserved },
  }];
}

function applyGrant(text: string, options: EditOptions, grant: Grant): EditResult {
  const before = loadForEdit(text, options);
  const resolved = resolvedOf(before);
  const isRole = grant.key === 'mapRoles';
  const mapKey = isRole ? grant.arn.toLowerCase() : foldKey(grant.arn);
  const winner = isRole ? resolved.roles.get(mapKey) : resolved.users.get(mapKey);
  const warnings = grantWarnings(grant);
  const meaningKey = `${grant.key} ${mapKey}`;

  if (winner === undefined) {
    const list = appendEntryToList(innerText(before, grant.key), { arnField: isRole ? 'rolearn' : 'userarn', arn: grant.arn, username: grant.username, groups: grant.groups });
    const mapping = isRole ? { rolearn: grant.arn, username: grant.username, groups: grant.groups } : { userarn: grant.arn, username: grant.username, groups: grant.groups };
    const change = { name: meaningKey, meaning: isRole ? describeRole(mapping as RoleMapping) : describeUser(mapping as UserMapping) };
    const created = before.keys[grant.key].status === 'missing' ? ` (created ${grant.key})` : '';
    return {
      text: commit(text, before, grant.key, list.text, change),
      changed: true,
      action: 'added',
      summary: `added ${grant.key} entry for ${grant.arn}: username '${grant.username}', groups ${formatGroups(grant.groups)}${created}`,
      ...warningFields([...warnings, ...sizeWarnings(before, grant.key, list.text)]),
    };
  }
  return updateGrant(text, before, { grant, winner, meaningKey, warnings });
}

interface Update {
  readonly grant: Grant;
  readonly winner: RoleEntry | UserEntry;
  readonly meaningKey: string;
  readonly warnings: EditWarning[];
}

function updateGrant(text: string, before: ParsedAwsAuth, update: Update): EditResult {
  const { grant, winner } = update;
  const current = winner.mapping;
  const configuredArn = 'rolearn' in current ? current.rolearn : current.userarn;
  const warnings = [...update.warnings];
  if (configuredArn !== grant.arn) {
    warnings.push({
      code: 'ARN_CASE_DIFFERS',
      message: `${where(winner)} spells the ARN ${configuredArn}; it matches ${grant.arn} because the comparison ignores case`,
      params: { ...whereParams(winner), configured: configuredArn, arn: grant.arn },
    });
  }
  const resolved = resolvedOf(before);
  const shadowed = [...resolved.shadowedRoles, ...resolved.shadowedUsers].filter((item) => item.by === winner);
  for (const { entry } of shadowed) {
    warnings.push({
      code: 'ENTRY_SHADOWED',
      message: `${where(entry)} maps the same ARN and stays shadowed by ${where(winner)}`,
      params: { shadowed: `${entry.origin.key}[${entry.origin.index}]`, shadowedLine: entry.origin.line ?? '?', ...whereParams(winner) },
    });
  }

  const changes: string[] = [];
  if (current.username !== grant.username) changes.push(`username '${current.username}' → '${grant.username}'`);
  if (!sameList(current.groups, grant.groups)) changes.push(`groups ${formatGroups(current.groups)} → ${formatGroups(grant.groups)}`);
  if (changes.length === 0) {
    return {
      text,
      changed: false,
      action: 'unchanged',
      summary: `${where(winner)} already maps ${grant.arn} to username '${grant.username}' with groups ${formatGroups(grant.groups)}; nothing to change`,
      ...warningFields(warnings),
    };
  }

  const list = setEntryFields(innerText(before, grant.key), winner.origin.index, {
    ...(current.username !== grant.username ? { username: grant.username } : {}),
    ...(!sameList(current.groups, grant.groups) ? { groups: grant.groups } : {}),
  });
  const mapping = { ...current, username: grant.username, groups: grant.groups };
  const change = { name: update.meaningKey, meaning: 'rolearn' in mapping ? describeRole(mapping) : describeUser(mapping as UserMapping) };
  return {
    text: commit(text, before, grant.key, list.text, change),
    changed: true,
    action: 'updated',
    summary: `updated ${where(winner)} for ${grant.arn}: ${changes.join(', ')}`,
    ...warningFields([...warnings, ...sizeWarnings(before, grant.key, list.text)]),
  };
}

/**
 * Maps a role in mapRoles, or updates the entry that maps it in place (no duplicate is appended).
 * Granting an identical entry changes nothing. Throws a KubeiamError for a role ARN with a path, an
 * STS session ARN, a non-role ARN, bad templates, or a document that does not parse.
 */
export function addRole(text: string, grant: RoleGrant, options: EditOptions = {}): EditResult {
  checkRoleArn(grant.rolearn);
  checkMapping(grant.username, grant.groups ?? [], false);
  return applyGrant(text, options, { key: 'mapRoles', arn: grant.rolearn, username: grant.username, groups: grant.groups ?? [] });
}

/** Maps an IAM user (or root, or a federated user) in mapUsers; see addRole. */
export function addUser(text: string, grant: UserGrant, options: EditOptions = {}): EditResult {
  checkUserArn(grant.userarn);
  checkMapping(grant.username, grant.groups ?? [], true);
  return applyGrant(text, options, { key: 'mapUsers', arn: grant.userarn, username: grant.username, groups: grant.groups ?? [] });
}

function nearMatches(entries: readonly (RoleEntry | UserEntry)[], arn: string): string {
  const name = arn.split('/').at(-1) ?? arn;
  const near = entries.filter((entry) => {
    const configured = 'rolearn' in entry.mapping ? entry.mapping.rolearn : entry.mapping.userarn;
    return configured.split('/').at(-1)?.toLowerCase() === name.toLowerCase();
  });
  if (near.length === 0) return '';
  const listed = near.map((entry) => `${'rolearn' in entry.mapping ? entry.mapping.rolearn : entry.mapping.userarn} at ${where(entry)}`);
  return `; similar: ${listed.join(', ')}`;
}

function removeEntries(text: string, options: EditOptions, key: 'mapRoles' | 'mapUsers', arn: string): EditResult {
  const before = loadForEdit(text, options);
  const isRole = key === 'mapRoles';
  const entries: readonly (RoleEntry | UserEntry)[] = isRole ? before.roles : before.users;
  const matches = entries.filter((entry) =>
    'rolearn' in entry.mapping
      ? entry.mapping.sso === undefined && roleMappingKey(entry.mapping) === arn.toLowerCase()
      : equalFold(entry.mapping.userarn, arn),
  );
  if (matches.length === 0) {
    throw editError('ENTRY_NOT_FOUND', `no ${key} entry maps ${arn}, so there is nothing to revoke${nearMatches(entries, arn)}`, { key, arn });
  }

  const list = removeEntriesFromList(innerText(before, key), matches.map((entry) => entry.origin.index));
  const change = { name: `${key} ${isRole ? arn.toLowerCase() : foldKey(arn)}`, meaning: undefined };
  const lines = matches.map((entry) => entry.origin.line ?? '?').join(', ');
  return {
    text: commit(text, before, key, list.text, change),
    changed: true,
    action: 'removed',
    summary:
      matches.length === 1
        ? `removed ${where(matches[0] as RoleEntry | UserEntry)} for ${arn}`
        : `removed ${matches.length} ${key} entries for ${arn} (lines ${lines}), because removing only the last would make an earlier duplicate take effect`,
    warnings: [],
  };
}

/** Removes every mapRoles entry for the role ARN as written (paths and session ARNs included, so broken entries can be removed). */
export function removeRole(text: string, rolearn: string, options: EditOptions = {}): EditResult {
  return removeEntries(text, options, 'mapRoles', rolearn);
}

/** Removes every mapUsers entry for the user ARN, in any case. */
export function removeUser(text: string, userarn: string, options: EditOptions = {}): EditResult {
  return removeEntries(text, options, 'mapUsers', userarn);
}

/** Allows every principal of an account (mapAccounts): such callers map to their ARN with no groups. */
export function addAccount(text: string, accountId: string, options: EditOptions = {}): EditResult {
  checkAccountId(accountId);
  const before = loadForEdit(text, options);
  if (before.accounts.some((account) => account.accountId === accountId)) {
    return { text, changed: false, action: 'unchanged', summary: `mapAccounts already lists ${accountId}; nothing to change`, warnings: [] };
  }
  const list = new InnerList(innerText(before, 'mapAccounts'));
  list.appendScalar(accountId);
  const change = { name: `mapAccounts ${accountId}`, meaning: 'allowed' };
  return {
    text: commit(text, before, 'mapAccounts', list.toString(), change),
    changed: true,
    action: 'added',
    summary: `added account ${accountId} to mapAccounts: every principal in it maps to its own ARN`,
    warnings: [],
  };
}

export function removeAccount(text: string, accountId: string, options: EditOptions = {}): EditResult {
  const before = loadForEdit(text, options);
  const matches = before.accounts.filter((account) => account.accountId === accountId);
  if (matches.length === 0) throw editError('ENTRY_NOT_FOUND', `mapAccounts does not list ${accountId}, so there is nothing to revoke`, { accountId });
  const list = new InnerList(innerText(before, 'mapAccounts'));
  list.remove(matches.map((account) => account.origin.index));
  const change = { name: `mapAccounts ${accountId}`, meaning: undefined };
  return {
    text: commit(text, before, 'mapAccounts', list.toString(), change),
    changed: true,
    action: 'removed',
    summary: `removed account ${accountId} from mapAccounts (line ${matches.map((account) => account.origin.line ?? '?').join(', ')})`,
    warnings: [],
  };
}
