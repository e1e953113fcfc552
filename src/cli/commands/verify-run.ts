import type { Identity } from '../../arn/index.js';
import { goJsonString } from '../../token/execCredential.js';
import type { Translate } from '../../i18n/catalog.js';
import { TokenError } from '../../token/errors.js';
import { TokenVerifier } from '../../token/verify.js';
import { usageError } from '../errors.js';
import { EXIT, type CommandContext } from '../io.js';
import type { VerifyOptions } from './verify.js';

/** Identity fields under aws-iam-authenticator's Go field names, in its order. */
const FIELDS: ReadonlyArray<readonly [string, keyof Identity]> = [
  ['ARN', 'arn'],
  ['CanonicalARN', 'canonicalArn'],
  ['AccountID', 'accountId'],
  ['UserID', 'userId'],
  ['SessionName', 'sessionName'],
  ['AccessKeyID', 'accessKeyId'],
  ['STSEndpoint', 'stsEndpoint'],
];

export async function runVerify(options: VerifyOptions, context: CommandContext): Promise<number> {
  const { io, t } = context;
  const token = options.token ?? '';
  const clusterId = options.clusterId || io.env.KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID || '';
  if (token === '') throw usageError('verify.tokenMissing');
  if (clusterId === '') throw usageError('verify.clusterMissing');

  let identity: Identity;
  try {
    const verifier = new TokenVerifier({
      clusterId,
      partition: options.partition,
      region: options.region ?? '',
      clock: io.now,
      ...(options.stsEndpointOverride ? { stsOverride: options.stsEndpointOverride } : {}),
    });
    identity = await verifier.verify(token);
  } catch (error) {
    // Verifier errors name the failing check and never contain the token or its signature.
    const detail = error instanceof Error ? error.message : String(error);
    io.stderr(`${t('verify.failed', { detail })}\n`);
    const hint = stsEndpointHint(error, options.stsEndpointOverride, io.env, t);
    if (hint !== undefined) io.stderr(`${hint}\n`);
    return EXIT.error;
  }

  io.stdout(options.output === 'json' ? formatJson(identity) : formatText(identity));
  return EXIT.ok;
}

/**
 * Explains why AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL) had no effect on a failed STS call. The
 * verifier sends the token to the STS host it was signed for, as aws-iam-authenticator does, and only
 * --sts-endpoint-override redirects it. Returns undefined for other failures or when no such variable is set.
 */
export function stsEndpointHint(error: unknown, override: string | undefined, env: CommandContext['io']['env'], t: Translate): string | undefined {
  const stsFailed = error instanceof TokenError && (error.code === 'STS_ERROR' || error.code === 'STS_THROTTLING');
  if (!stsFailed || override) return undefined;
  const variable = ['AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL'].find((name) => env[name]);
  if (variable === undefined) return undefined;
  return t('verify.endpointHint', { variable, url: env[variable] ?? '' });
}

/** Formats like Go's json.MarshalIndent(identity, "", "    ") followed by a newline. */
export function formatJson(identity: Identity): string {
  const lines = FIELDS.map(([name, key]) => `    ${goJsonString(name)}: ${goJsonString(identity[key])}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}

/** Formats one `Field: value` line per field, values aligned. */
export function formatText(identity: Identity): string {
  const width = Math.max(...FIELDS.map(([name]) => name.length)) + 1;
  return FIELDS.map(([name, key]) => `${`${name}:`.padEnd(width)} ${identity[key]}\n`).join('');
}
