import type { EksAccessClient } from '../../accessentries/client.js';
import type { PrincipalLookup } from '../../accessentries/iam.js';
import type { AwsCredentials } from '../../credentials/types.js';
import { usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import { renderJson } from '../output.js';
import { renderYaml } from '../output-yaml.js';

export { addClusterOptions, addOutputOption, collect, type ClusterOptions } from './entry-options.js';
import type { ClusterOptions } from './entry-options.js';

function regionOf(options: ClusterOptions, context: CommandContext): string {
  const region = options.region ?? context.io.env.AWS_REGION ?? context.io.env.AWS_DEFAULT_REGION;
  if (!region) throw usageError('eks.regionMissing');
  return region;
}

async function credentialsOf(options: ClusterOptions, context: CommandContext): Promise<AwsCredentials> {
  const { resolveBaseCredentials } = await import('../../credentials/chain.js');
  return resolveBaseCredentials(context.io.env, options.profile ?? context.io.env.AWS_PROFILE);
}

function attemptsOf(context: CommandContext): number | undefined {
  const value = Number(context.io.env.AWS_MAX_ATTEMPTS);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * Builds the client for `--cluster`. The cluster name is checked before credentials are read, and
 * the endpoint follows the AWS SDK's order: --endpoint-url, AWS_ENDPOINT_URL_EKS, AWS_ENDPOINT_URL.
 */
export async function eksClientFor(options: ClusterOptions, context: CommandContext): Promise<EksAccessClient> {
  const { EksAccessClient, createEksClient } = await import('../../accessentries/client.js');
  const { assertNoProblems } = await import('../../accessentries/errors.js');
  const { checkClusterName } = await import('../../accessentries/rules.js');
  assertNoProblems(checkClusterName(options.cluster));
  const region = regionOf(options, context);
  const endpoint = options.endpointUrl ?? context.io.env.AWS_ENDPOINT_URL_EKS ?? context.io.env.AWS_ENDPOINT_URL;
  const maxAttempts = attemptsOf(context);
  const client = createEksClient({
    region,
    credentials: await credentialsOf(options, context),
    ...(endpoint ? { endpoint } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
  });
  return new EksAccessClient(client, options.cluster);
}

/** Builds an IAM lookup with the same credentials; the endpoint comes from AWS_ENDPOINT_URL_IAM or AWS_ENDPOINT_URL. */
export async function iamLookupFor(options: ClusterOptions, context: CommandContext): Promise<PrincipalLookup> {
  const { createIamLookup } = await import('../../accessentries/iam.js');
  const endpoint = context.io.env.AWS_ENDPOINT_URL_IAM ?? context.io.env.AWS_ENDPOINT_URL;
  const maxAttempts = attemptsOf(context);
  return createIamLookup({
    region: regionOf(options, context),
    credentials: await credentialsOf(options, context),
    ...(endpoint ? { endpoint } : {}),
    ...(maxAttempts ? { maxAttempts } : {}),
  });
}

/**
 * Runs a command body and reports a failed access-entry rule as a usage error (exit 2): the request
 * was not sent, and the message names the value and the fix.
 */
export async function guardRules(context: CommandContext, body: () => Promise<number>): Promise<number> {
  const { EntryRuleError } = await import('../../accessentries/errors.js');
  try {
    return await body();
  } catch (error) {
    if (!(error instanceof EntryRuleError)) throw error;
    for (const problem of error.problems) context.io.stderr(`${context.t('error.prefix')}${problem.message} [${problem.code}]\n`);
    return EXIT.usage;
  }
}

/** Writes a value as JSON or YAML; returns false for the table format, which the caller renders. */
export function writeStructured(value: unknown, format: string, context: CommandContext): boolean {
  if (format === 'json') context.io.stdout(renderJson(value));
  else if (format === 'yaml') context.io.stdout(renderYaml(value));
  else return false;
  return true;
}
