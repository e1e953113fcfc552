import { lintAwsAuth } from '../../awsauth/lint.js';
import { DATA_KEYS } from '../../awsauth/types.js';
import { AWS_AUTH_NAME, AWS_AUTH_NAMESPACE, readConfigMapText, toDocumentText, type StringMap } from '../../kube/index.js';
import { writeToCluster } from '../cluster.js';
import { CliError } from '../errors.js';
import type { CommandContext } from '../io.js';
import { describeFix, describeProblem } from '../messages.js';
import { colorsFor } from '../output.js';
import { guardLockouts, locate, readInput } from './awsauth-run.js';
import type { WriteOptions } from './awsauth.js';

/** Lint findings that stop `apply` and `restore` without --force, besides every error. */
const BLOCKING_WARNINGS = new Set(['CREATOR_IN_MAP']);

/**
 * `kubeiam apply -f FILE` and `kubeiam restore BACKUP`: the file's data replaces the live data of
 * kube-system/aws-auth. mapRoles, mapUsers and mapAccounts come from the file, so a key the file
 * lacks is removed. Other data keys, labels and annotations come from the file when it has them and
 * are kept otherwise. Lint errors, a mapping of the cluster creator and lock-outs stop the
 * write unless --force.
 */
export async function runApply(file: string, options: WriteOptions, context: CommandContext, verb: 'apply' | 'restore'): Promise<number> {
  const { t } = context;
  const text = await readInput(file, context);
  checkLint(text, file, options, context);

  const content = readConfigMapText(text);
  if (content === undefined) throw new CliError('apply.unreadable', { file });
  const name = content.name ?? AWS_AUTH_NAME;
  const namespace = content.namespace ?? AWS_AUTH_NAMESPACE;
  // restore also takes an exported in-cluster copy (`kubectl get configmap aws-auth-backup-… -o yaml`).
  const isBackupCopy = verb === 'restore' && name.startsWith(`${AWS_AUTH_NAME}-backup-`);
  if ((name !== AWS_AUTH_NAME && !isBackupCopy) || namespace !== AWS_AUTH_NAMESPACE) throw new CliError('apply.wrongObject', { file, name, namespace });

  return writeToCluster({
    edit: async (_liveText, current) => {
      const live = current?.data ?? {};
      const data = mergeData(live, content.data);
      const changedKeys = [...new Set([...Object.keys(live), ...Object.keys(data)])].filter((key) => live[key] !== data[key]);
      const changed = changedKeys.length > 0;
      const text = toDocumentText({ name: AWS_AUTH_NAME, namespace: AWS_AUTH_NAMESPACE, data });
      if (!changed) return { text, changed, action: 'unchanged', summary: t('apply.noChange', { file }), warnings: [] };
      const keys = changedKeys.join(', ');
      if (verb === 'apply') return { text, changed, action: 'applied', summary: t('apply.summary', { file, keys }), warnings: [] };
      return { text, changed, action: 'restored', summary: t('restore.summary', { file, keys }), warnings: [] };
    },
    guard: (before, after, callerArns) => guardLockouts(before, after, options, t, callerArns),
    createIfMissing: true,
    offerFileMode: false,
    labels: content.labels,
    annotations: content.annotations,
  }, options, context);
}

/** Prints lint findings to stderr and stops on errors (and on BLOCKING_WARNINGS) unless --force. */
function checkLint(text: string, file: string, options: WriteOptions, context: CommandContext): void {
  const { io, t } = context;
  const result = lintAwsAuth(text, { creators: options.creator ?? [], sourceName: file });
  const colors = colorsFor(io);
  let blocking = 0;
  for (const problem of result.problems) {
    const blocks = problem.severity === 'error' || BLOCKING_WARNINGS.has(problem.code);
    if (blocks) blocking += 1;
    const label = problem.severity === 'error' ? colors.bad(t('lint.error')) : colors.warning(t('lint.warning'));
    io.stderr(`${label}${locate(file, problem.line)}[${problem.code}] ${describeProblem(problem, context.lang, t)}\n`);
    const fix = describeFix(problem, context.lang, t);
    if (fix) io.stderr(`    ${t('lint.fix')}${fix}\n`);
  }
  if (blocking > 0 && !options.force) throw new CliError('apply.lintErrors', { file, count: blocking });
}

/** Merges the file's data over the live data: the three aws-auth keys as in the file, other keys kept unless the file sets them. */
function mergeData(live: StringMap, fromFile: StringMap): Record<string, string> {
  const managed = new Set<string>(DATA_KEYS);
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(live)) {
    if (!managed.has(key)) result[key] = fromFile[key] ?? value;
    else if (fromFile[key] !== undefined) result[key] = fromFile[key];
  }
  for (const [key, value] of Object.entries(fromFile)) result[key] ??= value;
  return result;
}
