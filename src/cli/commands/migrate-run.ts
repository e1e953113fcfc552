import { promises as fs } from 'node:fs';
import { resolve } from 'node:path';
import type { ApplyResult, VerifyResult } from '../../accessentries/apply.js';
import type { EksAccessClient } from '../../accessentries/client.js';
import type { MigrationPlan } from '../../accessentries/migrate.js';
import type { ParsedAwsAuth } from '../../awsauth/types.js';
import { CliError, usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { parseOutputFormat, renderTable } from '../output.js';
import { eksClientFor, guardRules, iamLookupFor, writeStructured } from './entry-common.js';
import type { MigrateOptions } from './migrate.js';

const ACCOUNT_ID = /^[0-9]{12}$/;

export async function runMigrate(action: 'plan' | 'apply', options: MigrateOptions, context: CommandContext): Promise<number> {
  const format = parseOutputFormat(options.output, ['table', 'json', 'yaml']);
  return guardRules(context, async () => {
    if (!options.cluster && !options.account) throw usageError('migrate.sourceMissing');
    if (options.account !== undefined && !ACCOUNT_ID.test(options.account)) throw usageError('migrate.accountInvalid', { value: options.account });
    if (options.verify && !options.cluster) throw usageError('migrate.verifyNeedsCluster');
    const parsed = await readAwsAuth(options.file, context);
    return options.cluster ? online(action, options.cluster, parsed, options, format, context) : offline(parsed, options.account ?? '', format, context);
  });
}

async function readAwsAuth(file: string, context: CommandContext): Promise<ParsedAwsAuth> {
  const { parseAwsAuth } = await import('../../awsauth/parse.js');
  let text: string;
  try {
    text = file === '-' ? await context.io.readStdin() : await fs.readFile(resolve(context.io.cwd, file), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new CliError('read.fileMissing', { file });
    throw error;
  }
  const parsed = parseAwsAuth(text, { sourceName: file });
  if (!parsed.valid) throw new CliError('migrate.awsAuthInvalid', { file });
  return parsed;
}

async function offline(parsed: ParsedAwsAuth, account: string, format: string, context: CommandContext): Promise<number> {
  const { planMigration } = await import('../../accessentries/migrate.js');
  const plan = await planMigration(parsed, { clusterAccount: account });
  if (!writeStructured(plan, format, context)) context.io.stdout(planText(plan, context));
  return EXIT.ok;
}

async function online(action: 'plan' | 'apply', cluster: string, parsed: ParsedAwsAuth, options: MigrateOptions, format: string, context: CommandContext): Promise<number> {
  const { planMigration } = await import('../../accessentries/migrate.js');
  const client = await eksClientFor({ ...options, cluster }, context);
  // A CONFIG_MAP cluster can be planned (it has no entries yet), but apply and verify need the API.
  const access = action === 'plan' && !options.verify ? await client.describeCluster() : await client.requireApiEnabled();
  const existing = access.authenticationMode === 'CONFIG_MAP' ? [] : await client.readAllEntries();
  const lookup = await iamLookupFor({ ...options, cluster }, context);
  const plan = await planMigration(parsed, { clusterAccount: access.account, partition: access.partition, lookup, existing });

  const applied = action === 'apply' ? await apply(plan, client, access.account) : undefined;
  const verified = options.verify ? await verify(plan, parsed, client) : undefined;
  const document = { plan, ...(applied ? { applied } : {}), ...(verified ? { verified } : {}) };
  if (!writeStructured(document, format, context)) {
    context.io.stdout(planText(plan, context));
    if (applied) context.io.stdout(appliedText(applied, context));
    if (verified) context.io.stdout(verifiedText(verified, context));
  }
  const problems = (applied ?? []).some((result) => result.action === 'conflict' || result.action === 'failed')
    || (verified ?? []).some((result) => result.status === 'differs');
  return problems ? EXIT.findings : EXIT.ok;
}

async function apply(plan: MigrationPlan, client: EksAccessClient, account: string): Promise<ApplyResult[]> {
  const { applyMigration } = await import('../../accessentries/apply.js');
  return applyMigration(plan, client, account);
}

async function verify(plan: MigrationPlan, parsed: ParsedAwsAuth, client: EksAccessClient): Promise<VerifyResult[]> {
  const { verifyMigration } = await import('../../accessentries/apply.js');
  const { createAwsAuthSource } = await import('../../mapping/sources/awsauth.js');
  return verifyMigration(plan, createAwsAuthSource(parsed, { name: parsed.sourceName }), await client.readAllEntries());
}

function planText(plan: MigrationPlan, context: CommandContext): string {
  const { t } = context;
  const moves = renderTable(
    [t('entry.col.from'), t('entry.col.principalArn'), t('entry.col.type'), t('entry.col.username'), t('entry.col.groups'), t('entry.col.policies'), t('entry.col.status')],
    plan.moves.map((move) => [
      move.from,
      move.principalArn,
      move.type,
      move.username ?? '',
      move.kubernetesGroups.join(','),
      move.policies.map((policy) => policy.policyArn.split('/').at(-1) ?? '').join(','),
      move.status,
    ]),
  );
  const notes = plan.moves.flatMap((move) => move.notes.map((note) => `  ${move.from}: ${note}\n`)).join('');
  const stays = renderTable([t('entry.col.from'), t('entry.col.subject'), t('entry.col.reason')], plan.stays.map((item) => [item.from, item.subject, item.reason]));
  const reasons = plan.stays.map((item) => `  ${item.from}: ${item.message}\n`).join('');
  return `${t('migrate.moves', { count: plan.moves.length })}\n${moves}${notes}\n${t('migrate.stays', { count: plan.stays.length })}\n${stays}${reasons}`;
}

function appliedText(results: readonly ApplyResult[], context: CommandContext): string {
  const lines = results.map((result) => `  ${context.t('migrate.applied', { arn: result.principalArn, action: result.action, message: result.message })}\n`);
  return `\n${context.t('migrate.appliedHeader', { count: results.length })}\n${lines.join('')}`;
}

function verifiedText(results: readonly VerifyResult[], context: CommandContext): string {
  const { t } = context;
  const table = renderTable(
    [t('entry.col.from'), t('entry.col.principalArn'), t('entry.col.status'), t('entry.col.before'), t('entry.col.after')],
    results.map((result) => [result.from, result.principalArn, result.status, result.before, result.after]),
  );
  const differs = results.filter((result) => result.status === 'differs').length;
  const summary = differs === 0 ? t('migrate.verifyOk', { count: results.length }) : t('migrate.verifyFailed', { count: differs });
  return `\n${t('migrate.verifyHeader')}\n${table}${summary}\n`;
}
