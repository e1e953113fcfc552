import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import { canonicalize, stripPath } from '../../arn/arn.js';
import { unifiedDiff } from '../../awsauth/diff.js';
import { addAccount, addRole, addUser, removeAccount, removeRole, removeUser, type EditResult } from '../../awsauth/edit.js';
import { lintAwsAuth } from '../../awsauth/lint.js';
import { parseAwsAuth } from '../../awsauth/parse.js';
import { listEntries } from '../../awsauth/render.js';
import type { Translate } from '../../i18n/catalog.js';
import type { MappedUser } from '../../mapping/types.js';
import { CliError, usageError } from '../errors.js';
import { updateFile } from '../filestore.js';
import { EXIT, type CommandContext } from '../io.js';
import { findLockouts, type LockoutViolation } from '../lockout.js';
import { isClusterMode } from '../target.js';
import { describeEdit, describeEditWarnings, describeFix, describeIamWarning, describeProblem, type EditRequest } from '../messages.js';
import { colorsFor, renderJson, renderTable } from '../output.js';
import { renderYaml } from '../output-yaml.js';
import type { GrantOptions, TargetOptions, WriteOptions } from './awsauth.js';

type Kind = 'user' | 'role' | 'account';
type Edit = (text: string) => EditResult;

export async function runGrant(kind: string, arn: string, options: GrantOptions, context: CommandContext): Promise<number> {
  const checkedKind = parseKind(kind);
  const username = options.username ?? '';
  if (checkedKind !== 'account' && username === '') throw usageError('grant.usernameMissing', { kind: checkedKind });
  if (checkedKind !== 'account') rejectCreator(arn, options);

  const groups = [...new Set(options.group ?? [])];
  if (options.checkIam && checkedKind !== 'account') await checkPrincipalInIam(arn, context);
  const sourceName = sourceNameOf(options);
  const edit: Edit = (text) => {
    if (checkedKind === 'user') return addUser(text, { userarn: arn, username, groups }, { sourceName });
    if (checkedKind === 'role') return addRole(text, { rolearn: arn, username, groups }, { sourceName });
    return addAccount(text, arn, { sourceName });
  };
  const code = await applyEdit(edit, options, context, { kind: checkedKind, arn, username, groups });
  // Warn only after the edit succeeded, so an invalid ARN gets its error alone. Mapped without
  // groups, the caller authenticates but RBAC allows nothing, and kubectl gets 403.
  if (checkedKind !== 'account' && groups.length === 0) {
    context.io.stderr(`${context.t('lint.warning')}${context.t('grant.noGroups', { arn, username })}\n`);
  }
  return code;
}

export async function runRevoke(kind: string, arn: string, options: WriteOptions, context: CommandContext): Promise<number> {
  const checkedKind = parseKind(kind);
  const sourceName = sourceNameOf(options);
  const edit: Edit = (text) => {
    if (checkedKind === 'user') return removeUser(text, arn, { sourceName });
    if (checkedKind === 'role') return removeRole(text, arn, { sourceName });
    return removeAccount(text, arn, { sourceName });
  };
  return applyEdit(edit, options, context, { kind: checkedKind, arn }, false);
}

export async function runList(options: TargetOptions & { output: string }, context: CommandContext): Promise<number> {
  const { text, sourceName } = await readTarget(options, context);
  const parsed = parseAwsAuth(text, { sourceName });
  printList(parsed, sourceName, options.output, context);
  // An invalid document (a YAML syntax error, not a ConfigMap) loads nothing, so its empty list must
  // not pass for a valid ConfigMap without entries.
  return parsed.valid ? EXIT.ok : EXIT.error;
}

/** Reads aws-auth from `--file` or from the cluster; a missing ConfigMap is an error for readers. */
async function readTarget(options: TargetOptions, context: CommandContext): Promise<{ text: string; sourceName: string }> {
  if (!isClusterMode(options)) return { text: await readInput(options.file ?? '-', context), sourceName: options.file ?? '-' };
  // Loaded on demand, so file mode never loads the Kubernetes client.
  const { readFromCluster } = await import('../cluster.js');
  return readFromCluster(options, context);
}

function printList(parsed: ReturnType<typeof parseAwsAuth>, sourceName: string, output: string, context: CommandContext): void {
  const { io, t } = context;
  const rows = listEntries(parsed);
  if (output === 'json') io.stdout(renderJson(rows));
  else if (output === 'yaml') io.stdout(renderYaml(rows));
  else {
    const headers = [t('list.kind'), t('list.arn'), t('list.username'), t('list.groups'), t('list.line'), t('list.status')];
    io.stdout(renderTable(headers, rows.map((row) => [
      t(`list.value.${row.kind}`), row.arn, row.username, row.groups.join(','), row.line === undefined ? '' : String(row.line), t(`list.value.${row.status}`),
    ])));
  }
  const label = colorsFor(io).bad(t('lint.error'));
  for (const problem of parsed.problems.filter((p) => p.severity === 'error')) {
    io.stderr(`${label}${locate(sourceName, problem.line)}${describeProblem(problem, context.lang, t)}\n`);
  }
}

export async function runLint(file: string, options: { creator?: string[]; output: string }, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const text = await readInput(file, context);
  const result = lintAwsAuth(text, { creators: options.creator ?? [], sourceName: file });

  const report = { file, errors: result.errorCount, warnings: result.warningCount, problems: result.problems };
  if (options.output === 'json') io.stdout(renderJson(report));
  else if (options.output === 'yaml') io.stdout(renderYaml(report));
  else {
    const colors = colorsFor(io);
    for (const problem of result.problems) {
      const label = problem.severity === 'error' ? colors.bad(t('lint.error')) : colors.warning(t('lint.warning'));
      io.stdout(`${label}${locate(file, problem.line)}[${problem.code}] ${describeProblem(problem, context.lang, t)}\n`);
      const fix = describeFix(problem, context.lang, t);
      if (fix) io.stdout(`    ${t('lint.fix')}${fix}\n`);
    }
    io.stdout(`${t('lint.summary', { file, errors: result.errorCount, warnings: result.warningCount })}\n`);
  }
  return result.problems.length > 0 ? EXIT.findings : EXIT.ok;
}

/**
 * Runs one edit on a file (or on stdin when the file is `-`): validate, check for lock-outs, show
 * the diff, back up, write atomically under a lock. `--dry-run` stops after the diff.
 */
async function applyEdit(edit: Edit, options: WriteOptions, context: CommandContext, request: EditRequest, createIfMissing = true): Promise<number> {
  const { io, t } = context;
  if (isClusterMode(options)) {
    const { writeToCluster } = await import('../cluster.js');
    return writeToCluster({
      edit: async (text) => edit(text),
      guard: (before, after, callerArns) => guardLockouts(before, after, options, t, callerArns),
      describe: (result) => describeEdit(result as EditResult, request, context.lang, t),
      createIfMissing,
    }, options, context);
  }
  const file = options.file ?? '-';
  if (file === '-') return applyEditToStdin(edit, options, context, request);

  const path = resolve(io.cwd, file);
  let before = '';
  let after = '';
  const outcome = await updateFile(path, async (text) => {
    if (text === undefined && !options.create) throw new CliError('write.fileMissing', { file });
    if (text !== undefined && hasNoMappings(text, sourceNameOf(options)) && !options.create) throw new CliError('write.fileEmpty', { file });
    before = text ?? '';
    const result = edit(before);
    after = result.text;
    await guardLockouts(before, result.text, options, t);
    return { text: options.dryRun || !result.changed ? undefined : result.text, value: result };
  }, { now: io.now, backup: options.backup !== false });

  const result = outcome.value;
  const diff = unifiedDiff(before, after, { fromName: `${file} (before)`, toName: `${file} (after)` });
  if (options.output === 'json' || options.output === 'yaml') {
    const report = {
      file, action: result.action, changed: result.changed, dryRun: options.dryRun === true,
      summary: result.summary, warnings: result.warnings, diff, backup: outcome.backupPath ?? null,
    };
    io.stdout(options.output === 'json' ? renderJson(report) : renderYaml(report));
    return EXIT.ok;
  }

  io.stdout(`${describeEdit(result, request, context.lang, t)}\n`);
  const warningLabel = colorsFor(io).warning(t('lint.warning'));
  for (const warning of describeEditWarnings(result, context.lang, t)) io.stderr(`${warningLabel}${warning}\n`);
  if (diff !== '') io.stdout(diff.endsWith('\n') ? diff : `${diff}\n`);
  if (options.dryRun) io.stdout(`${t('write.dryRun', { file })}\n`);
  else if (result.changed) {
    io.stdout(`${t('write.saved', { file })}\n`);
    if (outcome.backupPath) io.stdout(`${t('write.backup', { path: outcome.backupPath })}\n`);
  }
  return EXIT.ok;
}

async function applyEditToStdin(edit: Edit, options: WriteOptions, context: CommandContext, request: EditRequest): Promise<number> {
  const before = await context.io.readStdin();
  if (hasNoMappings(before, sourceNameOf(options)) && !options.create) throw new CliError('write.fileEmpty', { file: '-' });
  const result = edit(before);
  await guardLockouts(before, result.text, options, context.t);
  context.io.stderr(`${describeEdit(result, request, context.lang, context.t)}\n`);
  if (options.dryRun) {
    // A dry run must never print a document that could be piped into kubectl apply.
    context.io.stdout(unifiedDiff(before, result.text, { fromName: '- (before)', toName: '- (after)' }));
    context.io.stderr(`${context.t('write.dryRun', { file: '-' })}\n`);
    return EXIT.ok;
  }
  context.io.stdout(result.text);
  return EXIT.ok;
}

/**
 * Reports whether a text contains no mappings: empty, or a ConfigMap without mapRoles, mapUsers and
 * mapAccounts. A failed `kubectl get configmap ... > aws-auth.yaml` leaves such a file behind, and
 * editing it writes a new aws-auth that drops every node and user mapping, so it needs --create.
 * It parses under the edit's source name, so the edit reuses this parse instead of parsing again.
 */
function hasNoMappings(text: string, sourceName: string): boolean {
  if (text.trim() === '') return true;
  const parsed = parseAwsAuth(text, { sourceName });
  return parsed.valid && Object.values(parsed.keys).every((key) => key.status === 'missing');
}

/**
 * Refuses a write that takes access from a node role, a --protect ARN, the --as caller or a role the
 * kubeconfig's exec plugin assumes, unless --force.
 */
export async function guardLockouts(before: string, after: string, options: WriteOptions, t: Translate, callerArns: readonly string[] = []): Promise<void> {
  const protectedArns = [...(options.protect ?? []), ...(options.as !== undefined ? [options.as] : []), ...callerArns];
  const violations = await findLockouts(before, after, protectedArns, sourceNameOf(options));
  if (violations.length === 0 || options.force) return;
  const details = violations.map((violation) => describeLockout(violation, t)).join(t('write.lockout.separator'));
  throw new CliError('write.lockout', { details });
}

/** Describes one lock-out in the user's language with the ARN, why it is protected, and its mapping before and after. */
export function describeLockout(violation: LockoutViolation, t: Translate): string {
  return t('write.lockout.item', {
    arn: violation.arn,
    reason: t(violation.reason === 'node' ? 'write.lockout.node' : 'write.lockout.protected'),
    before: describeMappedUser(violation.before, t),
    after: violation.after === undefined ? t('write.lockout.unmapped') : describeMappedUser(violation.after, t),
  });
}

function describeMappedUser(user: MappedUser, t: Translate): string {
  if (user.groups.length === 0) return t('write.lockout.noGroups', { username: user.username });
  return t('write.lockout.mapped', { username: user.username, groups: user.groups.join(', ') });
}

/** Rejects a grant for the cluster creator, which is admin already: a wrong entry can take that away. */
export function rejectCreator(arn: string, options: WriteOptions): void {
  if (options.force) return;
  const target = canonicalOrSelf(arn);
  const creator = (options.creator ?? []).find((candidate) => canonicalOrSelf(candidate) === target);
  if (creator !== undefined) throw new CliError('grant.creator', { arn });
}

function canonicalOrSelf(arn: string): string {
  try {
    return stripPath(canonicalize(arn)).toLowerCase();
  } catch {
    return arn.toLowerCase();
  }
}

function parseKind(kind: string): Kind {
  if (kind === 'user' || kind === 'role' || kind === 'account') return kind;
  throw usageError('grant.kindInvalid', { kind });
}

function sourceNameOf(options: TargetOptions): string {
  return options.file ?? 'kube-system/aws-auth';
}

export async function readInput(file: string, context: CommandContext): Promise<string> {
  if (file === '-') return context.io.readStdin();
  try {
    return await fs.readFile(resolve(context.io.cwd, file), 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new CliError('read.fileMissing', { file });
    if (typeof code === 'string') throw new CliError('read.failed', { file, reason: code });
    throw error;
  }
}

export function locate(file: string, line: number | undefined): string {
  return line === undefined ? `${file}: ` : `${file}:${line}: `;
}

/**
 * Looks the principal up in IAM (GetUser or GetRole, with the caller's credentials) and warns when it
 * does not exist or when its real ARN differs from the one given, e.g. by a role path. Opt-in, because
 * the file commands otherwise work offline.
 */
async function checkPrincipalInIam(arn: string, context: CommandContext): Promise<void> {
  const { io, t } = context;
  const [{ lookupPrincipal }, { resolveBaseCredentials }] = await Promise.all([
    import('../../aws/iam.js'),
    import('../../credentials/chain.js'),
  ]);
  const credentials = await resolveBaseCredentials(io.env, io.env.AWS_PROFILE || undefined);
  const region = io.env.AWS_REGION || io.env.AWS_DEFAULT_REGION || 'us-east-1';
  const lookup = await lookupPrincipal({ region, credentials, env: io.env }, arn);
  const label = t('lint.warning');
  if (lookup.status === 'missing') io.stderr(`${label}${t('grant.iamMissing', { arn })}\n`);
  for (const warning of lookup.warnings) io.stderr(`${label}${describeIamWarning(warning, context.lang, t)}\n`);
}
