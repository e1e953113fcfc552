import { CliError, usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { parseOutputFormat, renderTable } from '../output.js';
import { eksClientFor, guardRules, writeStructured } from './entry-common.js';
import { policiesTable } from './entry-run.js';
import type { PolicyOptions } from './policy.js';

export async function runPolicy(action: 'associate' | 'disassociate' | 'list', options: PolicyOptions, context: CommandContext): Promise<number> {
  const format = parseOutputFormat(options.output, ['table', 'json', 'yaml']);
  return guardRules(context, async () => {
    if (action === 'list' && options.available) return listAvailable(options, format, context);
    if (!options.cluster) throw usageError('policy.clusterMissing');
    if (!options.principalArn) throw usageError('entry.principalMissing');
    if (action === 'list') return listAssociated(options.principalArn, options, format, context);
    if (!options.policy) throw usageError('policy.policyMissing');
    if (action === 'associate') return associate(options.principalArn, options.policy, options, format, context);
    return disassociate(options.principalArn, options.policy, options, context);
  });
}

async function associate(principalArn: string, policy: string, options: PolicyOptions, format: string, context: CommandContext): Promise<number> {
  const { assertNoProblems } = await import('../../accessentries/errors.js');
  const { validateAssociate } = await import('../../accessentries/validate.js');
  const request = { principalArn, policy, scope: options.scope, namespaces: options.namespace ?? [] };
  assertNoProblems(validateAssociate(request));
  const client = await eksClientFor(options, context);
  const cluster = await client.requireApiEnabled();
  const association = await client.associatePolicy(request, cluster.partition);
  if (writeStructured(association, format, context)) return EXIT.ok;
  const scope = association.accessScope.type === 'cluster' ? 'cluster' : association.accessScope.namespaces.join(',');
  context.io.stdout(`${context.t('policy.associated', { policy: association.policyArn, arn: principalArn, scope })}\n`);
  return EXIT.ok;
}

async function disassociate(principalArn: string, policy: string, options: PolicyOptions, context: CommandContext): Promise<number> {
  const { assertNoProblems } = await import('../../accessentries/errors.js');
  const { checkPolicy, checkPrincipalArn } = await import('../../accessentries/rules.js');
  assertNoProblems([...checkPrincipalArn(principalArn), ...checkPolicy(policy)]);
  const client = await eksClientFor(options, context);
  const cluster = await client.requireApiEnabled();
  await client.disassociatePolicy(principalArn, policy, cluster.partition);
  context.io.stdout(`${context.t('policy.disassociated', { policy, arn: principalArn })}\n`);
  return EXIT.ok;
}

async function listAssociated(principalArn: string, options: PolicyOptions, format: string, context: CommandContext): Promise<number> {
  const client = await eksClientFor(options, context);
  await client.requireApiEnabled();
  const policies = await client.listAssociatedPolicies(principalArn);
  if (!writeStructured({ principalArn, policies }, format, context)) context.io.stdout(policiesTable(policies, context));
  return EXIT.ok;
}

/** Lists the policies EKS offers now (ListAccessPolicies is not tied to a cluster). */
async function listAvailable(options: PolicyOptions, format: string, context: CommandContext): Promise<number> {
  const client = await eksClientFor({ ...options, cluster: options.cluster ?? 'any' }, context);
  const policies = await client.listAccessPolicies();
  if (policies.length === 0) throw new CliError('policy.noneAvailable');
  if (!writeStructured(policies, format, context)) {
    context.io.stdout(renderTable([context.t('entry.col.name'), context.t('entry.col.arn')], policies.map((policy) => [policy.name, policy.arn])));
  }
  return EXIT.ok;
}
