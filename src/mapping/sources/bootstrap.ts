import type { Identity } from '../../arn/identity.js';
import { canonicalize, stripPath } from '../../arn/index.js';
import { equalFold } from '../../awsauth/gofold.js';
import type { EntryVerdict, MappingSource, VerdictDetail } from '../types.js';

export const BOOTSTRAP_SOURCE_NAME = 'bootstrap (cluster creator)';
const ADMIN_GROUPS: readonly string[] = ['system:masters'];

/**
 * Creates the source that models the cluster creator: EKS binds the IAM principal that called
 * CreateCluster to `system:masters` outside aws-auth, so it has access although no visible
 * configuration names it. Each ARN (user, role or assumed role) is canonicalised; a matching caller
 * gets its canonical ARN as username. kubeiam never writes these entries to aws-auth.
 * Throws an ArnError for an ARN that is not a valid principal.
 */
export function createBootstrapSource(adminArns: readonly string[]): MappingSource {
  // STS reports assumed roles without their path, so a creator role given with its path (as IAM and
  // CloudTrail show it) must match in its path-free form.
  const admins = adminArns.map((arn) => stripPath(canonicalize(arn)));
  const find = (identity: Identity): string | undefined => admins.find((admin) => equalFold(admin, identity.canonicalArn));

  return {
    name: BOOTSTRAP_SOURCE_NAME,
    reservedPrefixes: [],
    map(identity) {
      const admin = find(identity);
      return admin === undefined ? undefined : { kind: 'bootstrap', username: admin, groups: ADMIN_GROUPS };
    },
    isAccountAllowed: () => false,
    hasAccountList: false,
    explain(identity): EntryVerdict[] {
      return admins.map((admin) => {
        const matched = equalFold(admin, identity.canonicalArn);
        return {
          kind: 'bootstrap',
          matched,
          reason: matched ? 'BOOTSTRAP_ADMIN' : 'ARN_DIFFERS',
          message: matched
            ? `${identity.canonicalArn} created the cluster; EKS maps it to system:masters outside aws-auth`
            : `the cluster creator is ${admin}, not this caller`,
          entry: { username: admin, groups: ADMIN_GROUPS },
          detail: matched ? adminDetail(identity.canonicalArn) : notCreatorDetail(admin),
        };
      });
    },
  };
}

function adminDetail(arn: string): VerdictDetail {
  return { id: 'BOOTSTRAP_ADMIN', params: { arn } };
}

function notCreatorDetail(creator: string): VerdictDetail {
  return { id: 'NOT_CREATOR', params: { creator } };
}
