import { parsePrincipal } from '../arn/index.js';
import { isNodeType, principalName } from './rules.js';

/**
 * Returns the username EKS generates when an entry sets none: the user ARN for IAM users, the
 * assumed-role ARN with `{{SessionName}}` (path removed) for roles, and `system:node:…` for node types.
 */
export function defaultUsername(principalArn: string, type: string): string {
  if (type === 'EC2' || type === 'EC2_LINUX' || type === 'EC2_WINDOWS') return 'system:node:{{EC2PrivateDNSName}}';
  if (isNodeType(type)) return 'system:node:{{SessionName}}';
  const principal = parsePrincipal(principalArn);
  if (principal.type !== 'ROLE') return principalArn;
  return `arn:${principal.partition}:sts::${principal.accountId}:assumed-role/${principalName(principalArn)}/{{SessionName}}`;
}

/**
 * Returns the Kubernetes groups EKS gives an entry of this type when none are set.
 * NOTE: the EKS user guide shows `system:nodes` in DescribeAccessEntry output for EC2_LINUX entries.
 * The other node types are assumed to get the same group.
 */
export function defaultGroups(type: string): string[] {
  return isNodeType(type) ? ['system:nodes'] : [];
}
