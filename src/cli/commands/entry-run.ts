import type { OrphanFinding } from '../../accessentries/orphans.js';
import type { AccessEntry, PolicyAssociation } from '../../accessentries/types.js';
import { usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { parseOutputFormat, renderJson, renderTable } from '../output.js';
import { eksClientFor, guardRules, iamLookupFor, writeStructured } from './entry-common.js';
import type { EntryOptions } from './entry.js';

export async function runEntry(action: 'create' | 'get' | 'list' | 'update' | 'delete' | 'export', options: EntryOptions, context: CommandContext): Promise<number> {
  const format = parseOutputFormat(options.output, ['table', 'json', 'yaml']);
  return guardRules(context, async () => {
    if (action === 'list') return listEntries(options, format, context);
    if (action === 'export') return exportEntries(options, context);
    const principalArn = requirePrincipal(options);
    if (action === 'create') return createEntry(principalArn, options, format, context);
    if (action === 'update') return updateEntry(principalArn, options, format, context);
    if (action === 'delete') return deleteEntry(principalArn, options, context);
    return getEntry(principalArn, options, format, context);
  });
}

function requirePrincipal(options: EntryOptions): string {
  if (!options.principalArn) throw usageError('entry.principalMissing');
  return options.principalArn;
}

async function createEntry(principalArn: string, options: EntryOptions, format: string, context: CommandContext): Promise<number> {
  const { assertNoProblems } = await import('../../accessentries/errors.js');
  const { validateCreate } = await import('../../accessentries/validate.js');
  const request = {
    principalArn,
    ...(options.type !== undefined ? { type: options.type } : {}),
    ...(options.username !== undefined ? { username: options.username } : {}),
    kubernetesGroups: options.group ?? [],
  };
  // Rules that need no cluster facts fail before credentials are read or any call is made.
  assertNoProblems(validateCreate(request));
  const client = await eksClientFor(options, context);
  const cluster = await client.requireApiEnabled();
  const entry = await client.createEntry(request, cluster.account);
  return report(entry, format, context, 'entry.created');
}

async function updateEntry(principalArn: string, options: EntryOptions, format: string, context: CommandContext): Promise<number> {
  const { assertNoProblems } = await import('../../accessentries/errors.js');
  const { validateUpdate } = await import('../../accessentries/validate.js');
  const groups = options.groups === false ? [] : options.group;
  if (options.username === undefined && groups === undefined) throw usageError('entry.updateNothing');
  const request = { principalArn, ...(options.username !== undefined ? { username: options.username } : {}), ...(groups !== undefined ? { kubernetesGroups: groups } : {}) };
  assertNoProblems(validateUpdate(request));
  const client = await eksClientFor(options, context);
  await client.requireApiEnabled();
  const entry = await client.updateEntry(request);
  return report(entry, format, context, 'entry.updated');
}

async function deleteEntry(principalArn: string, options: EntryOptions, context: CommandContext): Promise<number> {
  const { assertNoProblems } = await import('../../accessentries/errors.js');
  const { checkPrincipalArn } = await import('../../accessentries/rules.js');
  assertNoProblems(checkPrincipalArn(principalArn));
  const client = await eksClientFor(options, context);
  await client.requireApiEnabled();
  const entry = await client.describeEntry(principalArn);
  await client.deleteEntry(principalArn);
  context.io.stdout(`${context.t('entry.deleted', { arn: principalArn, type: entry.type })}\n`);
  if (entry.type !== 'STANDARD') context.io.stderr(`${context.t('entry.deletedNode', { type: entry.type })}\n`);
  return EXIT.ok;
}

async function getEntry(principalArn: string, options: EntryOptions, format: string, context: CommandContext): Promise<number> {
  const client = await eksClientFor(options, context);
  await client.requireApiEnabled();
  const entry = await client.describeEntry(principalArn);
  const full = { ...entry, policies: await client.listAssociatedPolicies(principalArn) };
  if (writeStructured({ cluster: options.cluster, entries: [full] }, format, context)) return EXIT.ok;
  context.io.stdout(entriesTable([full], context));
  if (full.policies.length > 0) context.io.stdout(`\n${policiesTable(full.policies, context)}`);
  return EXIT.ok;
}

async function listEntries(options: EntryOptions, format: string, context: CommandContext): Promise<number> {
  const client = await eksClientFor(options, context);
  const cluster = await client.requireApiEnabled();
  const entries = await client.readAllEntries();
  const orphans = options.checkOrphans ? await checkOrphans(entries, options, context) : undefined;

  const document = { cluster: options.cluster, authenticationMode: cluster.authenticationMode, entries, ...(orphans ? { orphans } : {}) };
  if (!writeStructured(document, format, context)) {
    context.io.stdout(entriesTable(entries, context));
    if (orphans) context.io.stdout(orphanLines(orphans, entries.length, context));
  }
  return orphans !== undefined && orphans.length > 0 ? EXIT.findings : EXIT.ok;
}

/** Prints the entries as the DynamicFile JSON `kubeiam serve` reads; notes about left-out parts go to stderr. */
async function exportEntries(options: EntryOptions, context: CommandContext): Promise<number> {
  const { toDynamicFile } = await import('../../accessentries/dynamicfile.js');
  const client = await eksClientFor(options, context);
  await client.requireApiEnabled();
  const entries = await client.readAllEntries();
  const lookup = options.userIds === false ? undefined : await iamLookupFor(options, context);
  const { document, notes } = await toDynamicFile(entries, { clusterId: options.cluster, now: context.io.now(), ...(lookup ? { lookup } : {}) });
  context.io.stdout(renderJson(document));
  for (const note of notes) context.io.stderr(`${context.t('entry.exportNote', { arn: note.principalArn, message: note.message })}\n`);
  return EXIT.ok;
}

async function checkOrphans(entries: readonly AccessEntry[], options: EntryOptions, context: CommandContext): Promise<OrphanFinding[]> {
  const { findOrphans } = await import('../../accessentries/orphans.js');
  return findOrphans(entries, await iamLookupFor(options, context));
}

function orphanLines(orphans: readonly OrphanFinding[], total: number, context: CommandContext): string {
  const { t } = context;
  if (orphans.length === 0) return `${t('entry.orphansNone', { count: total })}\n`;
  return orphans.map((orphan) => `${t('entry.orphan', { reason: orphan.reason, message: orphan.message, fix: orphan.fix })}\n`).join('');
}

function policyName(policy: PolicyAssociation): string {
  return policy.policyArn.split('/').at(-1) ?? policy.policyArn;
}

function scopeText(policy: PolicyAssociation): string {
  return policy.accessScope.type === 'cluster' ? 'cluster' : `namespace: ${policy.accessScope.namespaces.join(',')}`;
}

export function entriesTable(entries: readonly AccessEntry[], context: CommandContext): string {
  const { t } = context;
  const headers = [t('entry.col.principalArn'), t('entry.col.type'), t('entry.col.username'), t('entry.col.groups'), t('entry.col.policies')];
  return renderTable(headers, entries.map((entry) => [
    entry.principalArn,
    entry.type,
    entry.username,
    entry.kubernetesGroups.join(','),
    (entry.policies ?? []).map(policyName).join(','),
  ]));
}

export function policiesTable(policies: readonly PolicyAssociation[], context: CommandContext): string {
  const { t } = context;
  return renderTable([t('entry.col.policy'), t('entry.col.scope')], policies.map((policy) => [policy.policyArn, scopeText(policy)]));
}

function report(entry: AccessEntry, format: string, context: CommandContext, key: 'entry.created' | 'entry.updated'): number {
  if (writeStructured(entry, format, context)) return EXIT.ok;
  context.io.stdout(`${context.t(key, { arn: entry.principalArn, type: entry.type, username: entry.username, groups: entry.kubernetesGroups.join(',') })}\n`);
  return EXIT.ok;
}
