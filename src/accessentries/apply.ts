import type { Identity } from '../arn/identity.js';
import { parsePrincipal } from '../arn/index.js';
import { mapIdentity } from '../mapping/chain.js';
import { identityFromArn } from '../mapping/identity.js';
import type { MapOutcome, MappingSource } from '../mapping/types.js';
import type { EksAccessClient } from './client.js';
import { principalName } from './rules.js';
import { createAccessEntrySource } from './source.js';
import type { AccessEntry } from './types.js';
import type { MigrationPlan, PlannedMove } from './migrate.js';

export type ApplyAction = 'created' | 'unchanged' | 'conflict' | 'failed';

export interface ApplyResult {
  readonly principalArn: string;
  readonly action: ApplyAction;
  readonly message: string;
}

/**
 * Creates the planned entries and their policy associations. Entries the plan found identical are
 * skipped and conflicting ones are reported, never overwritten, so running it twice changes nothing.
 * A failure on one entry is recorded and the others still go ahead.
 */
export async function applyMigration(plan: MigrationPlan, client: EksAccessClient, clusterAccount: string): Promise<ApplyResult[]> {
  const results: ApplyResult[] = [];
  for (const move of plan.moves) {
    if (move.status === 'exists') {
      results.push({ principalArn: move.principalArn, action: 'unchanged', message: 'an identical access entry exists' });
    } else if (move.status === 'conflict') {
      results.push({ principalArn: move.principalArn, action: 'conflict', message: 'an access entry with other settings exists; compare with kubeiam entry get and update it by hand' });
    } else {
      results.push(await createOne(move, client, clusterAccount));
    }
  }
  return results;
}

async function createOne(move: PlannedMove, client: EksAccessClient, clusterAccount: string): Promise<ApplyResult> {
  try {
    await client.createEntry({
      principalArn: move.principalArn,
      type: move.type,
      ...(move.username !== undefined ? { username: move.username } : {}),
      kubernetesGroups: move.kubernetesGroups,
    }, clusterAccount);
    for (const policy of move.policies) {
      await client.associatePolicy({ principalArn: move.principalArn, policy: policy.policyArn, scope: policy.accessScope.type, namespaces: policy.accessScope.namespaces });
    }
    return { principalArn: move.principalArn, action: 'created', message: `${move.type} entry from ${move.from}` };
  } catch (error) {
    return { principalArn: move.principalArn, action: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
}

export type VerifyStatus = 'same' | 'equivalent' | 'differs';

export interface VerifyResult {
  readonly from: string;
  readonly principalArn: string;
  readonly status: VerifyStatus;
  readonly before: string;
  readonly after: string;
  readonly note?: string;
}

/** Session name used to build a caller for a role: an instance ID, so `{{EC2PrivateDNSName}}` renders. */
const VERIFY_SESSION = 'i-0123456789abcdef0';
/** The private DNS name both sides get for that instance, so node usernames compare. */
const VERIFY_PRIVATE_DNS = 'ip-192-0-2-10.ec2.internal';

/** Builds the identity STS would report for a caller of the principal (a role session for roles). */
export function callerFor(principalArn: string): Identity {
  const principal = parsePrincipal(principalArn);
  if (principal.type !== 'ROLE') return identityFromArn(principalArn);
  return identityFromArn(`arn:${principal.partition}:sts::${principal.accountId}:assumed-role/${principalName(principalArn)}/${VERIFY_SESSION}`);
}

function describe(outcome: MapOutcome): string {
  return outcome.ok ? `${outcome.user.username} [${outcome.user.groups.join(', ')}]` : `denied (${outcome.error})`;
}

function sorted(groups: readonly string[]): string {
  return [...new Set(groups)].sort().join(',');
}

/**
 * Checks identity by identity that aws-auth before and the access entries after map each moved
 * principal to the same Kubernetes user. `equivalent` covers the two documented conversions:
 * system:masters replaced by AmazonEKSClusterAdminPolicy, and node mappings whose groups EKS manages.
 */
export async function verifyMigration(plan: MigrationPlan, awsAuth: MappingSource, entries: readonly AccessEntry[]): Promise<VerifyResult[]> {
  const after = createAccessEntrySource(entries);
  const options = { lookupPrivateDns: async () => VERIFY_PRIVATE_DNS };
  const results: VerifyResult[] = [];
  for (const move of plan.moves) {
    const identity = callerFor(move.principalArn);
    const left = await mapIdentity(identity, [awsAuth], options);
    const right = await mapIdentity(identity, [after], options);
    const entry = entries.find((candidate) => candidate.principalArn === move.principalArn);
    results.push({ from: move.from, principalArn: move.principalArn, ...compare(left, right, entry), before: describe(left), after: describe(right) });
  }
  return results;
}

function compare(before: MapOutcome, after: MapOutcome, entry: AccessEntry | undefined): { status: VerifyStatus; note?: string } {
  if (!before.ok || !after.ok) return { status: 'differs' };
  if (before.user.username !== after.user.username) return { status: 'differs' };
  if (sorted(before.user.groups) === sorted(after.user.groups)) return { status: 'same' };

  const admin = (entry?.policies ?? []).some((policy) => policy.policyArn.endsWith('/AmazonEKSClusterAdminPolicy') && policy.accessScope.type === 'cluster');
  const withoutMasters = before.user.groups.filter((group) => group !== 'system:masters');
  if (admin && before.user.groups.includes('system:masters') && sorted(withoutMasters) === sorted(after.user.groups)) {
    return { status: 'equivalent', note: 'system:masters is granted by AmazonEKSClusterAdminPolicy' };
  }
  const node = entry !== undefined && entry.type !== 'STANDARD';
  if (node && before.user.groups.includes('system:nodes') && after.user.groups.includes('system:nodes')) {
    return { status: 'equivalent', note: `${entry.type} entry: EKS manages the node groups` };
  }
  return { status: 'differs' };
}
