import type { Identity } from '../../arn/identity.js';
import { isKubeiamError } from '../../errors.js';
import { parseAwsAuth } from '../../awsauth/parse.js';
import { explainIdentity } from '../../mapping/explain.js';
import { identityFromArn } from '../../mapping/identity.js';
import { createAwsAuthSource } from '../../mapping/sources/awsauth.js';
import { createBootstrapSource } from '../../mapping/sources/bootstrap.js';
import type { MappingSource } from '../../mapping/types.js';
import { TokenVerifier } from '../../token/verify.js';
import { stsEndpointHint } from './verify-run.js';
import { usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { renderJson } from '../output.js';
import { renderYaml } from '../output-yaml.js';
import type { ExplainOptions } from './explain.js';
import { renderExplanation } from './explain-render.js';
import { readInput } from './awsauth-run.js';

export { renderExplanation } from './explain-render.js';

export async function runExplain(options: ExplainOptions, context: CommandContext): Promise<number> {
  const identity = await resolveIdentity(options, context);
  const sources = await buildSources(options, context);
  const explanation = await explainIdentity(identity, sources);

  if (options.output === 'json') context.io.stdout(renderJson(explanation));
  else if (options.output === 'yaml') context.io.stdout(renderYaml(explanation));
  else context.io.stdout(renderExplanation(explanation, options, context));
  return explanation.outcome.ok ? EXIT.ok : EXIT.findings;
}

async function resolveIdentity(options: ExplainOptions, context: CommandContext): Promise<Identity> {
  if (options.arn && options.token) throw usageError('explain.arnAndToken');
  if (options.arn) return identityFromArnOption(options.arn);
  if (!options.token) throw usageError('explain.identityMissing');
  if (!options.clusterId) throw usageError('explain.clusterMissing');

  const verifier = new TokenVerifier({
    clusterId: options.clusterId,
    partition: options.partition ?? 'aws',
    clock: context.io.now,
    ...(options.stsEndpointOverride ? { stsOverride: options.stsEndpointOverride } : {}),
  });
  try {
    return await verifier.verify(options.token);
  } catch (error) {
    const hint = stsEndpointHint(error, options.stsEndpointOverride, context.io.env, context.t);
    if (hint !== undefined) context.io.stderr(`${hint}\n`);
    throw error;
  }
}

/** Parses --arn, and turns an ARN error into a usage error that names the flag and the fix. */
function identityFromArnOption(arn: string): Identity {
  try {
    return identityFromArn(arn);
  } catch (error) {
    if (isKubeiamError(error) && error.code.startsWith('ARN_')) throw usageError('explain.arnInvalid', { arn, message: error.message });
    throw error;
  }
}

async function buildSources(options: ExplainOptions, context: CommandContext): Promise<MappingSource[]> {
  const sources: MappingSource[] = [];
  if (options.creator && options.creator.length > 0) sources.push(createBootstrapSource(options.creator));
  if (options.file) {
    const text = await readInput(options.file, context);
    const parsed = parseAwsAuth(text, { sourceName: options.file });
    sources.push(createAwsAuthSource(parsed, { name: options.file, ssoRoleMatch: options.ssoRoleMatch === true }));
  }
  const { withAccessEntrySources } = await import('./entry-explain.js');
  const ordered = await withAccessEntrySources(sources, options, context);
  if (ordered.length === 0) throw usageError('explain.sourceMissing');
  return ordered;
}

