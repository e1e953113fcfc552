import type { Command } from 'commander';
import { resolveBaseCredentials } from '../../credentials/chain.js';
import { StsCalls } from '../../credentials/sts.js';
import type { AwsCredentials } from '../../credentials/types.js';
import { formatExecCredential, presignGetCallerIdentity } from '../../token/index.js';
import { usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';

interface TokenOptions {
  clusterId?: string;
  clusterName?: string;
  region?: string;
  role?: string;
  roleArn?: string;
  sessionName?: string;
  externalId?: string;
  forwardSessionName?: boolean;
  tokenOnly?: boolean;
  profile?: string;
}

/**
 * `kubeiam token`: the kubectl exec credential plugin. Flags of `aws eks get-token` and of
 * `aws-iam-authenticator token` are both accepted, so an existing kubeconfig only swaps the command.
 */
export function registerToken(program: Command, context: CommandContext, setExit: (code: number) => void): void {
  const { t } = context;
  program
    .command('token')
    .description(t('help.token'))
    .option('-i, --cluster-id <id>', t('help.token.clusterId'))
    .option('--cluster-name <name>', t('help.token.clusterName'))
    .option('--region <region>', t('help.token.region'))
    .option('-r, --role <arn>', t('help.token.role'))
    .option('--role-arn <arn>', t('help.token.roleArn'))
    .option('-s, --session-name <name>', t('help.token.sessionName'))
    .option('-e, --external-id <id>', t('help.token.externalId'))
    .option('--forward-session-name', t('help.token.forwardSessionName'))
    .option('--token-only', t('help.token.tokenOnly'))
    .option('--profile <name>', t('help.token.profile'))
    .action(async (options: TokenOptions) => {
      setExit(await runToken(options, context));
    });
}

export async function runToken(options: TokenOptions, context: CommandContext): Promise<number> {
  const { io } = context;
  const env = io.env;
  const clusterId = options.clusterId || options.clusterName || env.KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID || '';
  if (clusterId === '') throw usageError('token.clusterMissing');
  if (options.forwardSessionName && options.sessionName) throw usageError('token.sessionConflict');

  const profile = options.profile || env.AWS_PROFILE || undefined;
  const region = await resolveRegion(options.region, env, profile, context);
  const roleArn = options.role || options.roleArn || env.DEFAULT_ROLE || '';
  const base = await resolveBaseCredentials(env, profile);
  const credentials = roleArn === '' ? base : await assumeRole(base, roleArn, region, options, context);

  const presigned = await presignGetCallerIdentity({ credentials, region, clusterId, now: io.now() });
  if (options.tokenOnly) {
    io.stdout(`${presigned.token}\n`);
  } else {
    io.stdout(formatExecCredential({
      token: presigned.token,
      expiration: presigned.expiration,
      ...(env.KUBERNETES_EXEC_INFO !== undefined ? { execInfo: env.KUBERNETES_EXEC_INFO } : {}),
    }));
  }
  return EXIT.ok;
}

async function assumeRole(
  base: AwsCredentials,
  roleArn: string,
  region: string,
  options: TokenOptions,
  context: CommandContext,
): Promise<AwsCredentials> {
  const sts = new StsCalls(region, context.io.env);
  let sessionName = options.sessionName || '';
  if (sessionName === '' && options.forwardSessionName) {
    // The caller's UserId is `<unique id>:<session>` for roles and federated users; forward the session.
    const caller = await sts.getCallerIdentity(base);
    const parts = caller.userId.split(':');
    if (parts.length === 2 && parts[1]) sessionName = parts[1];
  }
  if (sessionName === '') sessionName = `kubeiam-${context.io.now().getTime()}`;
  return sts.assumeRole(base, {
    roleArn,
    sessionName,
    ...(options.externalId ? { externalId: options.externalId } : {}),
  });
}

/**
 * Region precedence as aws-iam-authenticator: the flag, AWS_REGION, AWS_DEFAULT_REGION, the
 * profile's `region`, then us-east-1 with a notice on stderr.
 */
async function resolveRegion(
  flag: string | undefined,
  env: CommandContext['io']['env'],
  profile: string | undefined,
  context: CommandContext,
): Promise<string> {
  const explicit = flag || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (explicit) return explicit;

  const { STSClient } = await import('@aws-sdk/client-sts');
  try {
    const region = await new STSClient(profile ? { profile } : {}).config.region();
    if (region) return region;
  } catch {
    // No region in the shared config either; fall through to the documented default.
  }
  context.io.stderr(`${context.t('token.regionDefault')}\n`);
  return 'us-east-1';
}
