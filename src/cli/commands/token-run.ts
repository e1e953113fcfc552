import { resolveBaseCredentials } from '../../credentials/chain.js';
import { StsCalls } from '../../credentials/sts.js';
import type { AwsCredentials } from '../../credentials/types.js';
import { formatExecCredential } from '../../token/execCredential.js';
import { presignGetCallerIdentity } from '../../token/presign.js';
import { usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import type { TokenOptions } from './token.js';

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
