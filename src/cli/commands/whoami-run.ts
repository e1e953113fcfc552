import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import type { Identity } from '../../arn/identity.js';
import { parsePrincipal, type PrincipalType } from '../../arn/index.js';
import { parseAwsAuth } from '../../awsauth/parse.js';
import { createAwsTarget } from '../../aws/target.js';
import { StsCalls } from '../../credentials/sts.js';
import { explainIdentity, type Explanation } from '../../mapping/explain.js';
import { identityFromArn } from '../../mapping/identity.js';
import { createAwsAuthSource } from '../../mapping/sources/awsauth.js';
import { createBootstrapSource } from '../../mapping/sources/bootstrap.js';
import type { MappingSource } from '../../mapping/types.js';
import { CliError, usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { renderJson } from '../output.js';
import { renderYaml } from '../output-yaml.js';
import { renderExplanation } from './explain-run.js';
import type { WhoamiOptions } from './whoami.js';

/**
 * The `-o json|yaml` document of `kubeiam whoami`. Stable: fields are only ever added.
 *
 * {
 *   "arn": "arn:aws:sts::111122223333:assumed-role/Admin/alice",  // as STS returned it
 *   "account": "111122223333",
 *   "userId": "AROA…:alice",                                      // STS UserId, verbatim
 *   "canonicalArn": "arn:aws:iam::111122223333:role/Admin",        // what EKS matches
 *   "principalType": "ASSUMED_ROLE",      // USER | ROLE | ASSUMED_ROLE | FEDERATED_USER | ROOT
 *   "sessionName": "alice",               // '' unless an assumed role
 *   "mapping": null                       // no --file/--creator given, else:
 *     | { "mapped": true, "username": "…", "groups": ["…"], "source": "aws-auth.yaml", "httpStatus": 200 }
 *     | { "mapped": false, "error": "…", "httpStatus": 401, "fix": "…", "grantCommand": "…",
 *         "steps": [{ "source": "…", "matched": false, "reason": "ARN_DIFFERS", "message": "…", "fix": "…" }] }
 * }
 */
export interface WhoamiReport {
  readonly arn: string;
  readonly account: string;
  readonly userId: string;
  readonly canonicalArn: string;
  readonly principalType: PrincipalType;
  readonly sessionName: string;
  readonly mapping: MappingReport | null;
}

export type MappingReport =
  | { readonly mapped: true; readonly username: string; readonly groups: readonly string[]; readonly source: string; readonly httpStatus: 200 }
  | {
    readonly mapped: false;
    readonly error: string;
    readonly httpStatus: 401;
    readonly fix?: string;
    readonly grantCommand?: string;
    readonly steps: readonly StepReport[];
  };

interface StepReport {
  readonly source: string;
  readonly matched: boolean;
  readonly reason: string;
  readonly message: string;
  readonly fix?: string;
}

export async function runWhoami(options: WhoamiOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  const sources = await buildSources(options, context);
  const target = await createAwsTarget(io.env, { ...options, defaultRegion: 'us-east-1' });
  const env = options.endpointUrl ? { ...io.env, AWS_ENDPOINT_URL_STS: options.endpointUrl } : io.env;
  const caller = await new StsCalls(target.region, env).getCallerIdentity(target.credentials);

  const principal = parsePrincipal(caller.arn);
  const identity: Identity = identityFromArn(caller.arn, { userId: uniqueIdOf(caller.userId, principal.type) });
  const explanation = sources.length === 0 ? undefined : await explainIdentity(identity, sources);
  const report: WhoamiReport = {
    arn: caller.arn,
    account: caller.account,
    userId: caller.userId,
    canonicalArn: principal.canonicalArn,
    principalType: principal.type,
    sessionName: principal.sessionName,
    mapping: explanation === undefined ? null : mappingReport(explanation),
  };

  if (options.output === 'json') io.stdout(renderJson(report));
  else if (options.output === 'yaml') io.stdout(renderYaml(report));
  else io.stdout(renderText(report, explanation, options, context));
  return report.mapping === null || report.mapping.mapped ? EXIT.ok : EXIT.findings;
}

/** STS reports `AROA…:session` for role sessions; mapping templates take the part before the colon. */
function uniqueIdOf(userId: string, type: PrincipalType): string {
  if (type !== 'ROLE' && type !== 'ASSUMED_ROLE') return userId;
  return userId.split(':')[0] ?? userId;
}

function mappingReport(explanation: Explanation): MappingReport {
  const { outcome } = explanation;
  if (outcome.ok) {
    return { mapped: true, username: outcome.user.username, groups: outcome.user.groups, source: outcome.user.source, httpStatus: 200 };
  }
  const steps = explanation.steps.map((step) => ({
    source: step.source,
    matched: step.matched,
    reason: step.reason,
    message: step.message,
    ...(step.fix === undefined ? {} : { fix: step.fix }),
  }));
  return {
    mapped: false,
    error: outcome.error,
    httpStatus: 401,
    ...(explanation.fix === undefined ? {} : { fix: explanation.fix }),
    ...(explanation.grantCommand === undefined ? {} : { grantCommand: explanation.grantCommand }),
    steps,
  };
}

function renderText(report: WhoamiReport, explanation: Explanation | undefined, options: WhoamiOptions, context: CommandContext): string {
  const { t } = context;
  const rows: [string, string][] = [
    [t('whoami.arn'), report.arn],
    [t('whoami.account'), report.account],
    [t('whoami.userId'), report.userId],
    [t('whoami.canonical'), report.canonicalArn],
    [t('whoami.type'), report.principalType],
  ];
  if (report.sessionName !== '') rows.push([t('whoami.session'), report.sessionName]);
  const mapping = report.mapping;
  if (mapping?.mapped) {
    const groups = mapping.groups.length > 0 ? mapping.groups.join(', ') : t('explain.noGroups');
    rows.push([t('whoami.username'), mapping.username], [t('whoami.groups'), groups], [t('whoami.source'), mapping.source]);
  }
  const width = Math.max(...rows.map(([label]) => label.length));
  let text = rows.map(([label, value]) => `${label.padEnd(width)}  ${value}`).join('\n') + '\n';

  if (explanation === undefined) text += `${t('whoami.noSource')}\n`;
  else if (!explanation.outcome.ok) text += `\n${renderExplanation(explanation, { ...options, output: 'text' }, context)}`;
  return text;
}

async function buildSources(options: WhoamiOptions, context: CommandContext): Promise<MappingSource[]> {
  if (options.file && options.kubeconfig) throw usageError('whoami.fileAndKubeconfig');
  const sources: MappingSource[] = [];
  if (options.creator && options.creator.length > 0) sources.push(createBootstrapSource(options.creator));
  if (options.file) {
    const text = await readFile(options.file, context);
    sources.push(createAwsAuthSource(parseAwsAuth(text, { sourceName: options.file }), { name: options.file }));
  }
  if (options.kubeconfig || options.context) sources.push(await clusterSource(options, context));
  return sources;
}

/** Builds the source for kube-system/aws-auth read through a kubeconfig. A cluster without the ConfigMap maps no caller. */
async function clusterSource(options: WhoamiOptions, context: CommandContext): Promise<MappingSource> {
  const { loadAwsAuthFromCluster } = await import('../../kube/awsauth.js');
  const { io } = context;
  const loaded = await loadAwsAuthFromCluster({
    env: io.env,
    cwd: io.cwd,
    ...(options.kubeconfig ? { kubeconfig: options.kubeconfig } : {}),
    ...(options.context ? { context: options.context } : {}),
  });
  return createAwsAuthSource(parseAwsAuth(loaded.text, { sourceName: loaded.sourceName }), { name: loaded.sourceName });
}

async function readFile(file: string, context: CommandContext): Promise<string> {
  try {
    return await fs.readFile(resolve(context.io.cwd, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError('read.fileMissing', { file });
    throw error;
  }
}
