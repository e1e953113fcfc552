import { KubeiamError } from '../errors.js';
import type { EndpointVariant } from '../token/endpoints.js';
import type { AwsCredentials, Env } from './types.js';

export interface AssumeRoleRequest {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly externalId?: string;
  /** Default: 900 s, the shortest STS allows, because a token lives 15 minutes anyway. */
  readonly durationSeconds?: number;
}

export interface CallerIdentity {
  readonly arn: string;
  readonly account: string;
  readonly userId: string;
}

/**
 * STS calls made with the caller's credentials (AssumeRole, GetCallerIdentity). The endpoint follows
 * the AWS SDK's rules, so AWS_ENDPOINT_URL_STS (or AWS_ENDPOINT_URL) redirects them, which is how the
 * demo and the tests reach the local STS emulator. The presigned token itself never uses that
 * endpoint: it is always signed for the regional STS host that EKS accepts.
 */
export class StsCalls {
  readonly #region: string;
  readonly #env: Env;
  readonly #variant: EndpointVariant;

  constructor(region: string, env: Env, variant: EndpointVariant = {}) {
    this.#region = region;
    this.#env = env;
    this.#variant = variant;
  }

  async assumeRole(base: AwsCredentials, request: AssumeRoleRequest): Promise<AwsCredentials> {
    const { AssumeRoleCommand } = await import('@aws-sdk/client-sts');
    const client = await this.#client(base);
    const command = new AssumeRoleCommand({
      RoleArn: request.roleArn,
      RoleSessionName: request.sessionName,
      DurationSeconds: request.durationSeconds ?? 900,
      ...(request.externalId ? { ExternalId: request.externalId } : {}),
    });
    const response = await callSts(() => client.send(command), request.roleArn);
    const credentials = response.Credentials;
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new KubeiamError('STS_RESPONSE_INVALID', `AssumeRole for ${request.roleArn} returned no credentials`);
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
      ...(credentials.Expiration ? { expiration: credentials.Expiration } : {}),
    };
  }

  async getCallerIdentity(credentials: AwsCredentials): Promise<CallerIdentity> {
    const { GetCallerIdentityCommand } = await import('@aws-sdk/client-sts');
    const client = await this.#client(credentials);
    const response = await callSts(() => client.send(new GetCallerIdentityCommand({})), 'GetCallerIdentity');
    return { arn: response.Arn ?? '', account: response.Account ?? '', userId: response.UserId ?? '' };
  }

  async #client(credentials: AwsCredentials) {
    const { STSClient } = await import('@aws-sdk/client-sts');
    const endpoint = this.#env.AWS_ENDPOINT_URL_STS || this.#env.AWS_ENDPOINT_URL;
    // The SDK's STS endpoint rules reject FIPS or dual-stack together with a custom endpoint. So the
    // variant applies only to the AWS endpoints, and a custom endpoint is used as given.
    const target = endpoint
      ? { endpoint }
      : { useFipsEndpoint: this.#variant.fips === true, useDualstackEndpoint: this.#variant.dualStack === true };
    return new STSClient({ region: this.#region, credentials, maxAttempts: 3, ...target });
  }
}

/** Next steps for a failed STS call, by its AWS error code. */
const STS_ERROR_HINTS: Readonly<Record<string, string>> = {
  InvalidClientTokenId: 'STS does not know this access key ID: check AWS_ACCESS_KEY_ID or the profile, and that the STS endpoint belongs to the partition that issued the key',
  SignatureDoesNotMatch: 'the secret access key does not belong to the access key ID: check AWS_SECRET_ACCESS_KEY or the profile',
  ExpiredToken: 'the session credentials have expired: get new ones (for example `aws sso login`) and retry',
  AccessDenied: "the caller may not assume the role: check the role's trust policy, the caller's sts:AssumeRole permission and any --external-id the trust policy requires",
};

/** Runs one STS call and turns SDK errors into a KubeiamError naming the target, the AWS error code and what to check. */
async function callSts<Output>(call: () => Promise<Output>, target: string): Promise<Output> {
  try {
    return await call();
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const message = error instanceof Error ? error.message : String(error);
    const hint = STS_ERROR_HINTS[name];
    throw new KubeiamError('STS_CALL_FAILED', `STS call for ${target} failed: ${name}: ${message}${hint === undefined ? '' : `; ${hint}`}`, {
      target,
      awsCode: name,
    });
  }
}
