import { serviceEndpoint, type AwsTarget } from '../../aws/config.js';

/** Admin access entries of a cluster, the fallback when CloudTrail no longer has its creation. */
export type AdminEntries =
  | { readonly status: 'listed'; readonly policyArn: string; readonly principalArns: readonly string[] }
  /** CONFIG_MAP clusters have no access entries: their creator's binding is invisible. */
  | { readonly status: 'config-map-only' }
  | { readonly status: 'failed'; readonly message: string };

const CLUSTER_ADMIN_POLICY = 'AmazonEKSClusterAdminPolicy';

/**
 * Lists the principals whose EKS access entry has AmazonEKSClusterAdminPolicy. With
 * bootstrapClusterCreatorAdminPermissions (the default), EKS gave the creator such an entry, so the
 * creator is among them unless someone removed it. The list does not say which one it is.
 */
export async function listAdminEntries(target: AwsTarget, cluster: string): Promise<AdminEntries> {
  const { createEksClient, EksAccessClient } = await import('../../accessentries/client.js');
  const endpoint = serviceEndpoint('EKS', target.env, target.endpointUrl);
  const sdk = createEksClient({ region: target.region, credentials: target.credentials, ...(endpoint ? { endpoint } : {}) });
  try {
    const client = new EksAccessClient(sdk, cluster);
    const access = await client.describeCluster();
    if (access.authenticationMode === 'CONFIG_MAP') return { status: 'config-map-only' };
    const policyArn = `arn:${access.partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_POLICY}`;
    return { status: 'listed', policyArn, principalArns: await client.listEntries(policyArn) };
  } catch (error) {
    return { status: 'failed', message: error instanceof Error ? error.message : String(error) };
  } finally {
    sdk.destroy();
  }
}
