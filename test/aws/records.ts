/**
 * Test fixtures: CloudTrail records of EKS CreateCluster calls in the format CloudTrail writes them
 * (log files and the `CloudTrailEvent` string of LookupEvents), for each kind of caller.
 */
import type { TrailRecordFixture } from './cloudtrail-server.js';

export const ACCOUNT = '111122223333';

interface RecordInput {
  readonly cluster: string;
  readonly time: string;
  readonly identity: Record<string, unknown>;
  readonly region?: string;
  readonly eventSource?: string;
  readonly errorCode?: string;
  /** Older records name the cluster `clusterName` in requestParameters. Default: `name`. */
  readonly nameKey?: 'name' | 'clusterName';
}

let counter = 0;

export function createClusterRecord(input: RecordInput): TrailRecordFixture {
  counter += 1;
  const region = input.region ?? 'eu-west-1';
  const nameKey = input.nameKey ?? 'name';
  return {
    eventVersion: '1.09',
    userIdentity: input.identity,
    eventTime: input.time,
    eventSource: input.eventSource ?? 'eks.amazonaws.com',
    eventName: 'CreateCluster',
    awsRegion: region,
    sourceIPAddress: '203.0.113.10',
    userAgent: 'aws-cli/2.15.0',
    requestParameters: {
      [nameKey]: input.cluster,
      roleArn: `arn:aws:iam::${ACCOUNT}:role/eksClusterRole`,
      resourcesVpcConfig: { subnetIds: ['subnet-a670c2df', 'subnet-4f8c5004'] },
    },
    ...(input.errorCode === undefined
      ? {
        responseElements: {
          cluster: {
            [nameKey]: input.cluster,
            arn: `arn:aws:eks:${region}:${ACCOUNT}:cluster/${input.cluster}`,
            status: 'CREATING',
            certificateAuthority: {},
          },
        },
      }
      : { errorCode: input.errorCode, errorMessage: 'Cluster already exists with name', responseElements: null }),
    requestID: `a7a0735d-62ab-11e8-9f79-${String(counter).padStart(12, '0')}`,
    eventID: `eab22523-174a-499c-9dd6-${String(counter).padStart(12, '0')}`,
    readOnly: false,
    eventType: 'AwsApiCall',
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: 'Management',
  };
}

export const IDENTITIES = {
  iamUser: {
    type: 'IAMUser',
    principalId: 'AIDAJ45Q7YFFAREXAMPLE',
    arn: `arn:aws:iam::${ACCOUNT}:user/cluster_creator`,
    accountId: ACCOUNT,
    accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
    userName: 'cluster_creator',
  },
  assumedRoleWithPath: {
    type: 'AssumedRole',
    principalId: 'AROAEXAMPLEROLEID1234:alice',
    arn: `arn:aws:sts::${ACCOUNT}:assumed-role/cluster_creator/alice`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEKEYID1234',
    sessionContext: {
      sessionIssuer: {
        type: 'Role',
        principalId: 'AROAEXAMPLEROLEID1234',
        arn: `arn:aws:iam::${ACCOUNT}:role/platform/admins/cluster_creator`,
        accountId: ACCOUNT,
        userName: 'cluster_creator',
      },
      attributes: { creationDate: '2026-11-20T09:00:00Z', mfaAuthenticated: 'false' },
    },
  },
  federatedUser: {
    type: 'FederatedUser',
    principalId: `${ACCOUNT}:bob`,
    arn: `arn:aws:sts::${ACCOUNT}:federated-user/bob`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEFEDKEY123',
    sessionContext: {
      sessionIssuer: {
        type: 'IAMUser',
        principalId: 'AIDAEXAMPLEBROKER123',
        arn: `arn:aws:iam::${ACCOUNT}:user/federation-broker`,
        accountId: ACCOUNT,
        userName: 'federation-broker',
      },
      attributes: { creationDate: '2026-11-20T09:00:00Z', mfaAuthenticated: 'false' },
    },
  },
  root: {
    type: 'Root',
    principalId: ACCOUNT,
    arn: `arn:aws:iam::${ACCOUNT}:root`,
    accountId: ACCOUNT,
    accessKeyId: 'ASIAEXAMPLEROOTKEY12',
  },
  awsService: {
    type: 'AWSService',
    invokedBy: 'cloudformation.amazonaws.com',
  },
} as const;
