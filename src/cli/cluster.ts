import { rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { unifiedDiff } from '../awsauth/diff.js';
import type { EditWarning } from '../awsauth/edit.js';
import {
  AWS_AUTH_NAMESPACE,
  AWS_AUTH_SOURCE_NAME,
  backupConfigMapName,
  connectAwsAuth,
  isKubeError,
  readAwsAuth,
  toDocumentText,
  renderBackup,
  updateAwsAuth,
  writeBackupFile,
  type AwsAuthCluster,
  type LiveConfigMap,
  type StringMap,
  type UpdateResult,
} from '../kube/index.js';
import type { TargetOptions, WriteOptions } from './commands/awsauth.js';
import { CliError } from './errors.js';
import { EXIT, type CommandContext } from './io.js';
import { colorsFor, renderJson } from './output.js';
import { renderYaml } from './output-yaml.js';
import { describeEditWarnings } from './messages.js';

/** The result of an edit of the document, reduced to the fields the output needs. */
export interface ClusterEditResult {
  readonly text: string;
  readonly changed: boolean;
  readonly action: string;
  readonly summary: string;
  readonly warnings: readonly string[];
  readonly warningDetails?: readonly EditWarning[];
}

export interface ClusterWrite {
  /** Edits the live document; runs again on the latest version after a conflict. */
  readonly edit: (text: string, current: LiveConfigMap | undefined) => Promise<ClusterEditResult>;
  /**
   * Checks before and after (lock-out guard); throws to stop the write. `callerArns` are the role
   * ARNs the kubeconfig's exec plugin assumes, to protect like --as.
   */
  readonly guard: (before: string, after: string, callerArns: readonly string[]) => Promise<void>;
  /** Renders the edit's one-line summary for people. Default: the summary as returned. */
  readonly describe?: (result: ClusterEditResult) => string;
  /** Create the ConfigMap when it does not exist; otherwise that is an error. */
  readonly createIfMissing: boolean;
  readonly labels?: StringMap;
  readonly annotations?: StringMap;
  /** Whether a missing kubeconfig error suggests --file. Apply and restore set it to false, because they have no file mode. */
  readonly offerFileMode?: boolean;
}

const IN_CLUSTER_BACKUP_LABELS = { 'app.kubernetes.io/managed-by': 'kubeiam' } as const;
/**
 * Update attempts before a write gives up on conflicts. In test/cluster/concurrent.test.ts, 20
 * kubeiam processes granting at once on a 2-CPU machine needed up to 8 attempts; 20 leaves room.
 */
const CLUSTER_WRITE_ATTEMPTS = 20;

/**
 * Connects to the cluster the kubeconfig rules select. Without any kubeconfig, it raises a usage
 * error that names --kubeconfig, and --file unless `offerFileMode` is false.
 */
export async function connect(options: TargetOptions, context: CommandContext, offerFileMode = true): Promise<AwsAuthCluster> {
  try {
    return await connectAwsAuth({
      ...(options.kubeconfig !== undefined ? { kubeconfig: options.kubeconfig } : {}),
      ...(options.context !== undefined ? { context: options.context } : {}),
      env: context.io.env,
      cwd: context.io.cwd,
    });
  } catch (error) {
    if (isKubeError(error, 'KUBECONFIG_NOT_FOUND') && options.kubeconfig === undefined) {
      throw new CliError(offerFileMode ? 'cluster.noTarget' : 'cluster.noCluster', { reason: error.message }, EXIT.usage);
    }
    throw error;
  }
}

/** Reads the live aws-auth as a document for the aws-auth parser; a missing ConfigMap is an error for readers. */
export async function readFromCluster(options: TargetOptions, context: CommandContext): Promise<{ text: string; sourceName: string }> {
  const connection = await connect(options, context);
  const configMap = await readAwsAuth(connection);
  if (configMap === undefined) {
    throw new CliError('cluster.awsAuthMissing', { server: connection.cluster.server, context: connection.cluster.context });
  }
  return { text: toDocumentText(configMap), sourceName: AWS_AUTH_SOURCE_NAME };
}

/**
 * Runs one guarded write on the live aws-auth: edit, guard, diff, backups (a local file and, with
 * --backup-configmap, an in-cluster copy), then the update with resourceVersion and conflict retry.
 * `--dry-run` stops after the diff.
 */
export async function writeToCluster(write: ClusterWrite, options: WriteOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  const connection = await connect(options, context, write.offerFileMode !== false);
  const { cluster } = connection;
  const target = { server: cluster.server, context: cluster.context };
  let diff = '';
  let backupPath: string | undefined;
  let backupConfigMap: string | undefined;

  const update = await updateAwsAuth(connection, async (text, current) => {
    if (current === undefined && !write.createIfMissing) throw new CliError('cluster.awsAuthMissing', target);
    const result = await write.edit(text, current);
    await write.guard(text, result.text, cluster.execRoleArns);
    diff = unifiedDiff(text, result.text, { fromName: `${AWS_AUTH_SOURCE_NAME} (live)`, toName: `${AWS_AUTH_SOURCE_NAME} (after)` });
    return {
      text: options.dryRun || !result.changed ? undefined : result.text,
      value: result,
      ...(write.labels !== undefined ? { labels: write.labels } : {}),
      ...(write.annotations !== undefined ? { annotations: write.annotations } : {}),
    };
  }, {
    maxAttempts: CLUSTER_WRITE_ATTEMPTS,
    beforeWrite: async (current) => {
      if (current === undefined) return;
      if (options.backup !== false) backupPath = await saveBackupFile(current, options, context, target);
      if (options.backupConfigmap) backupConfigMap = await saveBackupConfigMap(connection, current, io.now());
    },
    afterConflict: async () => {
      // The version backed up was not the one overwritten, so its backups go and the next attempt
      // backs up the version it reads.
      if (backupPath !== undefined) await rm(backupPath, { force: true });
      if (backupConfigMap !== undefined) await connection.client.delete(backupConfigMap);
      backupPath = undefined;
      backupConfigMap = undefined;
    },
  });

  printWrite({ update, diff, backupPath, backupConfigMap, target, describe: write.describe }, options, context);
  return EXIT.ok;
}

interface WriteReport {
  readonly update: UpdateResult<ClusterEditResult>;
  readonly diff: string;
  readonly backupPath: string | undefined;
  readonly backupConfigMap: string | undefined;
  readonly target: { readonly server: string; readonly context: string };
  readonly describe: ((result: ClusterEditResult) => string) | undefined;
}

/** Prints the outcome of a cluster write: a JSON or YAML report, or the summary, diff and backups for people. */
function printWrite(report: WriteReport, options: WriteOptions, context: CommandContext): void {
  const { io, t } = context;
  const { update, diff, backupPath, backupConfigMap, target } = report;
  const result = update.value;
  const written = update.after;
  if (options.output === 'json' || options.output === 'yaml') {
    const render = options.output === 'json' ? renderJson : renderYaml;
    io.stdout(render({
      target: AWS_AUTH_SOURCE_NAME, context: target.context, server: target.server,
      action: result.action, changed: result.changed, dryRun: options.dryRun === true,
      created: written !== undefined && update.before === undefined,
      resourceVersion: written?.resourceVersion ?? update.before?.resourceVersion ?? null,
      summary: result.summary, warnings: result.warnings, diff,
      backup: backupPath ?? null, backupConfigMap: backupConfigMap ?? null,
      attempts: update.attempts, conflicts: update.conflicts,
    }));
    return;
  }

  io.stdout(`${report.describe?.(result) ?? result.summary}\n`);
  for (const warning of describeEditWarnings(result, context.lang, t)) io.stderr(`${colorsFor(io).warning(t('lint.warning'))}${warning}\n`);
  if (diff !== '') io.stdout(diff.endsWith('\n') ? diff : `${diff}\n`);
  if (options.dryRun) io.stdout(`${t('cluster.dryRun', target)}\n`);
  if (written === undefined) return;

  if (update.before === undefined) io.stdout(`${t('cluster.created', target)}\n`);
  io.stdout(`${t('cluster.updated', { ...target, resourceVersion: written.resourceVersion })}\n`);
  if (backupPath !== undefined) io.stdout(`${t('write.backup', { path: backupPath })}\n`);
  if (backupConfigMap !== undefined) io.stdout(`${t('cluster.backupConfigMap', { name: backupConfigMap })}\n`);
  if (update.conflicts > 0) io.stdout(`${t('cluster.conflicts', { count: update.conflicts })}\n`);
}

async function saveBackupFile(current: LiveConfigMap, options: WriteOptions, context: CommandContext, target: { server: string; context: string }): Promise<string> {
  const { io } = context;
  const home = io.env['HOME'] ?? homedir();
  const dir = options.backupDir !== undefined ? resolve(io.cwd, options.backupDir) : join(home, '.kube', 'kubeiam-backups');
  const now = io.now();
  const baseName = `${current.name}-${target.context.replace(/[^A-Za-z0-9._-]+/g, '_')}`;
  return writeBackupFile(dir, baseName, renderBackup(current, { ...target, takenAt: now }), now);
}

/** Copies the current data to `aws-auth-backup-<UTC time>`; a name taken in the same second gets a suffix. */
async function saveBackupConfigMap(connection: AwsAuthCluster, current: LiveConfigMap, now: Date): Promise<string> {
  const base = backupConfigMapName(now, current.name);
  for (let attempt = 0; ; attempt++) {
    const name = attempt === 0 ? base : `${base}-${attempt}`;
    try {
      await connection.client.create(name, {
        data: current.data,
        labels: IN_CLUSTER_BACKUP_LABELS,
        annotations: { 'kubeiam.io/backup-of': `${AWS_AUTH_NAMESPACE}/${current.name}`, 'kubeiam.io/resource-version': current.resourceVersion },
      });
      return name;
    } catch (error) {
      if (!isKubeError(error, 'KUBE_ALREADY_EXISTS') || attempt >= 20) throw error;
    }
  }
}
