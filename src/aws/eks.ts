import { clientConfig, type AwsTarget } from './config.js';
import { awsError, awsErrorName, callFailed } from './errors.js';

/** The fields of EKS DescribeCluster that a kubeconfig needs. */
export interface EksCluster {
  readonly name: string;
  readonly arn: string;
  /** API server URL, `https://<id>.<region>.eks.amazonaws.com`. */
  readonly endpoint: string;
  /** Base64 PEM bundle of the cluster CA (`certificateAuthority.data`). */
  readonly certificateAuthorityData: string;
  /** `ACTIVE`, `CREATING`, … */
  readonly status: string;
  /** `CONFIG_MAP`, `API_AND_CONFIG_MAP` or `API`; '' when EKS did not report it. */
  readonly authenticationMode: string;
}

/**
 * Calls EKS DescribeCluster. Throws EKS_CLUSTER_NOT_FOUND for an unknown name, EKS_CLUSTER_NOT_READY
 * while the cluster has no endpoint or CA yet, and AWS_CALL_FAILED for other failures.
 */
export async function describeCluster(target: AwsTarget, name: string): Promise<EksCluster> {
  const { EKSClient, DescribeClusterCommand } = await import('@aws-sdk/client-eks');
  const client = new EKSClient(clientConfig(target, 'EKS'));
  let response;
  try {
    response = await client.send(new DescribeClusterCommand({ name }));
  } catch (error) {
    if (awsErrorName(error) === 'ResourceNotFoundException') {
      throw awsError('EKS_CLUSTER_NOT_FOUND', `cluster '${name}' not found in region ${target.region}; check the name with \`aws eks list-clusters --region ${target.region}\` or pass --region`, { cluster: name, region: target.region });
    }
    throw callFailed('eks:DescribeCluster', name, error);
  } finally {
    client.destroy();
  }

  const cluster = response.cluster;
  if (cluster?.arn === undefined || cluster.name === undefined) {
    throw awsError('AWS_RESPONSE_INVALID', `DescribeCluster for '${name}' returned no cluster ARN`, { cluster: name });
  }
  const endpoint = cluster.endpoint ?? '';
  const certificateAuthorityData = cluster.certificateAuthority?.data ?? '';
  const status = cluster.status ?? '';
  if (endpoint === '' || certificateAuthorityData === '') {
    throw awsError('EKS_CLUSTER_NOT_READY', `cluster '${name}' has no API endpoint or CA yet (status ${status || 'unknown'}); wait until it is ACTIVE and run the command again`, { cluster: name, status });
  }
  return {
    name: cluster.name,
    arn: cluster.arn,
    endpoint,
    certificateAuthorityData,
    status,
    authenticationMode: cluster.accessConfig?.authenticationMode ?? '',
  };
}
