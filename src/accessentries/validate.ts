import { checkGroups, checkNodeTypeFields, checkPolicy, checkPolicyForType, checkPrincipalArn, checkEntryType, checkScope, checkUsername, isNodeType } from './rules.js';
import type { AssociatePolicyRequest, CreateEntryRequest, EntryProblem, UpdateEntryRequest } from './types.js';

/** Facts about the cluster that some rules need; each check is skipped when its fact is unknown. */
export interface ClusterFacts {
  readonly account?: string | undefined;
}

/** Runs every rule for CreateAccessEntry. Returns all problems; none means the request may be sent. */
export function validateCreate(request: CreateEntryRequest, facts: ClusterFacts = {}): EntryProblem[] {
  const principal = checkPrincipalArn(request.principalArn);
  const type = checkEntryType(request.type);
  if (principal.length > 0 || type.length > 0) return [...principal, ...type];

  const entryType = request.type ?? 'STANDARD';
  if (isNodeType(entryType)) {
    return checkNodeTypeFields({
      principalArn: request.principalArn,
      type: entryType,
      username: request.username,
      kubernetesGroups: request.kubernetesGroups,
      clusterAccount: facts.account,
    });
  }
  return [...checkUsername(request.username), ...checkGroups(request.kubernetesGroups)];
}

/** Runs the rules for UpdateAccessEntry, given the type of the existing entry when known. */
export function validateUpdate(request: UpdateEntryRequest, existingType?: string): EntryProblem[] {
  const principal = checkPrincipalArn(request.principalArn);
  if (principal.length > 0) return principal;
  if (existingType !== undefined && isNodeType(existingType)) {
    return checkNodeTypeFields({ principalArn: request.principalArn, type: existingType, username: request.username, kubernetesGroups: request.kubernetesGroups });
  }
  return [...checkUsername(request.username), ...checkGroups(request.kubernetesGroups)];
}

/** Runs the rules for AssociateAccessPolicy, given the type of the entry when known. */
export function validateAssociate(request: AssociatePolicyRequest, entryType?: string): EntryProblem[] {
  const problems = [...checkPrincipalArn(request.principalArn), ...checkPolicy(request.policy), ...checkScope(request.scope, request.namespaces)];
  if (problems.length > 0 || entryType === undefined) return problems;
  return checkPolicyForType(entryType, request.principalArn);
}
