import type { Identity } from '../arn/identity.js';
import { parseAwsAuth } from '../awsauth/parse.js';
import type { ParsedAwsAuth } from '../awsauth/types.js';
import { mapIdentity } from '../mapping/chain.js';
import { identityFromArn } from '../mapping/identity.js';
import { createAwsAuthSource } from '../mapping/sources/awsauth.js';
import type { MappedUser, MappingSource, MapOutcome } from '../mapping/types.js';

/** An identity that had access before an edit and would lose it (or its groups) after. */
export interface LockoutViolation {
  readonly arn: string;
  /** `node`: a node role; `protected`: named with --protect (e.g. the caller's own identity). */
  readonly reason: 'node' | 'protected';
  readonly before: MappedUser;
  /** The mapping after the edit, or undefined when the identity is no longer mapped. */
  readonly after: MappedUser | undefined;
}

const NODE_GROUP = 'system:nodes';
// A syntactically valid instance ID so `{{EC2PrivateDNSName}}` templates render during the check.
const PROBE_INSTANCE_ID = 'i-0123456789abcdef0';
const PROBE_DNS_NAME = 'ip-10-0-0-1.ec2.internal';

/**
 * Compares what protected identities map to before and after an edit: every node role of the old
 * document (a role whose groups include `system:nodes`) and every ARN in `protectedArns`. An identity
 * that was mapped and becomes unmapped, or loses a group, is a violation.
 */
export async function findLockouts(
  beforeText: string | undefined,
  afterText: string,
  protectedArns: readonly string[],
  sourceName = 'aws-auth',
): Promise<LockoutViolation[]> {
  const before = parseAwsAuth(beforeText ?? '', { sourceName });
  const after = parseAwsAuth(afterText, { sourceName });
  const probes = [
    ...nodeRoleArns(before).map((arn) => ({ arn, reason: 'node' as const })),
    ...protectedArns.map((arn) => ({ arn, reason: 'protected' as const })),
  ];

  if (probes.length === 0) return [];

  // Build one source per document. Each build indexes every entry, so a build per probe made the check
  // cost node roles times entries.
  const sources = { before: createAwsAuthSource(before), after: createAwsAuthSource(after) };
  const violations: LockoutViolation[] = [];
  for (const probe of probes) {
    const identity = probeIdentity(probe.arn);
    if (identity === undefined) continue;
    const was = await resolve(identity, sources.before);
    const now = await resolve(identity, sources.after);
    if (was.ok && losesAccess(was, now)) {
      violations.push({ arn: probe.arn, reason: probe.reason, before: was.user, after: now.ok ? now.user : undefined });
    }
  }
  return violations;
}

function nodeRoleArns(parsed: ParsedAwsAuth): string[] {
  const arns = parsed.roles
    .filter((entry) => entry.mapping.rolearn !== '' && entry.mapping.groups.includes(NODE_GROUP))
    .map((entry) => entry.mapping.rolearn);
  return [...new Set(arns)];
}

/** Builds the identity a node or a protected principal presents, or undefined for a non-principal ARN. */
function probeIdentity(arn: string): Identity | undefined {
  try {
    const identity = identityFromArn(arn);
    // Node roles are assumed by EC2 with the instance ID as session name.
    return identity.sessionName === '' && identity.canonicalArn.includes(':role/')
      ? { ...identity, sessionName: PROBE_INSTANCE_ID }
      : identity;
  } catch {
    return undefined;
  }
}

function resolve(identity: Identity, source: MappingSource): Promise<MapOutcome> {
  return mapIdentity(identity, [source], {
    lookupPrivateDns: async () => PROBE_DNS_NAME,
  });
}

function losesAccess(before: MapOutcome & { ok: true }, after: MapOutcome): boolean {
  if (!after.ok) return true;
  return before.user.groups.some((group) => !after.user.groups.includes(group));
}
