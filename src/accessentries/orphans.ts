import { equalFold } from '../awsauth/gofold.js';
import type { PrincipalLookup } from './iam.js';
import type { AccessEntry } from './types.js';

export type OrphanReason = 'PRINCIPAL_DELETED' | 'PRINCIPAL_RECREATED' | 'PRINCIPAL_ID_CHANGED';

/** An access entry whose principal no longer is the one EKS bound it to. */
export interface OrphanFinding {
  readonly principalArn: string;
  readonly reason: OrphanReason;
  readonly message: string;
  readonly fix: string;
}

/**
 * Finds entries that no longer grant access: the principal was deleted (EKS does not delete its
 * entry), or deleted and re-created under the same ARN (EKS keeps matching the old unique ID, so the
 * new principal is silently locked out). A re-created principal shows as an IAM CreateDate after the
 * entry's createdAt, or as a unique ID different from the one the entry recorded.
 */
export async function findOrphans(entries: readonly AccessEntry[], lookup: PrincipalLookup): Promise<OrphanFinding[]> {
  const findings: OrphanFinding[] = [];
  for (const entry of entries) {
    const finding = classify(entry, await lookup(entry.principalArn));
    if (finding !== undefined) findings.push(finding);
  }
  return findings;
}

function classify(entry: AccessEntry, current: Awaited<ReturnType<PrincipalLookup>>): OrphanFinding | undefined {
  const arn = entry.principalArn;
  const recreate = `kubeiam entry delete --principal-arn ${arn}, then create it again`;
  if (current === undefined || !equalFold(current.arn, arn)) {
    const now = current === undefined ? 'IAM has no such principal' : `IAM now has ${current.arn}`;
    return { principalArn: arn, reason: 'PRINCIPAL_DELETED', message: `the principal of access entry ${arn} was deleted (${now})`, fix: `kubeiam entry delete --principal-arn ${arn}` };
  }
  if (entry.principalId !== undefined && entry.principalId !== '' && current.id !== entry.principalId) {
    return { principalArn: arn, reason: 'PRINCIPAL_ID_CHANGED', message: `access entry ${arn} is bound to principal ID ${entry.principalId}, but the principal now has ID ${current.id}`, fix: recreate };
  }
  if (entry.createdAt !== undefined && current.createDate !== undefined && current.createDate.getTime() > entry.createdAt.getTime()) {
    return {
      principalArn: arn,
      reason: 'PRINCIPAL_RECREATED',
      message: `the principal of access entry ${arn} was created at ${current.createDate.toISOString()}, after the entry (${entry.createdAt.toISOString()}), so the entry still names the deleted one`,
      fix: recreate,
    };
  }
  return undefined;
}
