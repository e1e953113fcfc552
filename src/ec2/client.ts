import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { parseArn } from '../arn/index.js';
import { KubeiamError } from '../errors.js';
import type { DescribeInstances, InstanceDnsName } from './resolver.js';

export interface Ec2ClientOptions {
  /** Region of the EC2 and STS clients. Default: the SDK's chain (AWS_REGION, profile). */
  readonly region?: string;
  /** EC2 endpoint URL instead of the region's, e.g. a local EC2 emulator. */
  readonly ec2Endpoint?: string;
  /** STS endpoint URL for the AssumeRole of `roleArn`. */
  readonly stsEndpoint?: string;
  /** Base credentials. Default: the SDK's default chain. */
  readonly credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  /** Role to assume for DescribeInstances (`server.ec2DescribeInstancesRoleARN`). */
  readonly roleArn?: string;
  /** Sent as `x-amz-source-arn` (and its account as `x-amz-source-account`) on AssumeRole. */
  readonly sourceArn?: string;
  /** Wall clock in epoch ms, for renewing assumed-role credentials. Default: `Date.now`. */
  readonly now?: () => number;
}

/** Assumed-role sessions last one hour, as in aws-iam-authenticator. */
const ASSUME_ROLE_SECONDS = 60 * 60;

/** Returns the account ID of an ARN; throws for a string that is not an ARN or has no account. */
export function getSourceAccount(arn: string): string {
  const accountId = parseArn(arn).accountId;
  if (accountId === '') {
    throw new KubeiamError('ARN_INVALID', `ARN ${arn} has no account ID: use an ARN such as arn:aws:eks:REGION:ACCOUNT:cluster/NAME`, { arn });
  }
  return accountId;
}

/** Headers the AssumeRole request carries for the confused-deputy condition keys. */
export function sourceHeaders(sourceArn: string | undefined): Record<string, string> {
  if (sourceArn === undefined || sourceArn === '') return {};
  return { 'x-amz-source-account': getSourceAccount(sourceArn), 'x-amz-source-arn': sourceArn };
}

/**
 * Builds DescribeInstances on @aws-sdk/client-ec2, loaded on first use so servers without
 * `{{EC2PrivateDNSName}}` mappings never load the EC2 SDK. With `roleArn`, credentials come from an
 * STS AssumeRole whose requests carry the source headers.
 */
export function createEc2DescribeInstances(options: Ec2ClientOptions): DescribeInstances {
  let client: Promise<(ids: readonly string[]) => Promise<readonly InstanceDnsName[]>> | undefined;
  return async (instanceIds) => {
    client ??= loadClient(options);
    const describe = await client;
    return describe(instanceIds);
  };
}

async function loadClient(options: Ec2ClientOptions) {
  const { EC2Client, DescribeInstancesCommand } = await import('@aws-sdk/client-ec2');
  const credentials = options.roleArn ? await assumeRoleProvider(options) : options.credentials;
  const ec2 = new EC2Client({
    ...(options.region ? { region: options.region } : {}),
    ...(options.ec2Endpoint ? { endpoint: options.ec2Endpoint } : {}),
    ...(credentials === undefined ? {} : { credentials }),
    maxAttempts: 1,
  });

  return async (instanceIds: readonly string[]): Promise<readonly InstanceDnsName[]> => {
    const output = await ec2.send(new DescribeInstancesCommand({ InstanceIds: [...instanceIds] }));
    const found: InstanceDnsName[] = [];
    for (const reservation of output.Reservations ?? []) {
      for (const instance of reservation.Instances ?? []) {
        if (instance.InstanceId !== undefined) {
          found.push({ instanceId: instance.InstanceId, privateDnsName: instance.PrivateDnsName ?? '' });
        }
      }
    }
    return found;
  };
}

/** Credentials of `roleArn`, renewed five minutes before they expire. */
export async function assumeRoleProvider(options: Ec2ClientOptions): Promise<AwsCredentialIdentityProvider> {
  const { STSClient, AssumeRoleCommand } = await import('@aws-sdk/client-sts');
  const headers = sourceHeaders(options.sourceArn);
  const sts = new STSClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.stsEndpoint ? { endpoint: options.stsEndpoint } : {}),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    maxAttempts: 1,
  });
  sts.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string> };
      if (request.headers !== undefined) Object.assign(request.headers, headers);
      return next(args);
    },
    { step: 'build', name: 'kubeiamSourceHeaders' },
  );

  const now = options.now ?? Date.now;
  let current: AwsCredentialIdentity | undefined;
  return async () => {
    const renewAt = (current?.expiration?.getTime() ?? 0) - 5 * 60 * 1000;
    if (current !== undefined && now() < renewAt) return current;
    const output = await sts.send(
      new AssumeRoleCommand({ RoleArn: options.roleArn, RoleSessionName: `kubeiam-ec2-${now()}`, DurationSeconds: ASSUME_ROLE_SECONDS }),
    );
    const issued = output.Credentials;
    if (issued?.AccessKeyId === undefined || issued.SecretAccessKey === undefined) {
      throw new KubeiamError('EC2_ASSUME_ROLE_FAILED', `AssumeRole of ${options.roleArn ?? ''} returned no credentials`);
    }
    current = {
      accessKeyId: issued.AccessKeyId,
      secretAccessKey: issued.SecretAccessKey,
      ...(issued.SessionToken === undefined ? {} : { sessionToken: issued.SessionToken }),
      ...(issued.Expiration === undefined ? {} : { expiration: issued.Expiration }),
    };
    return current;
  };
}
