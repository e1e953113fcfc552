import { parsePrincipal, type Principal } from '../arn/index.js';
import {
  AUTHENTICATION_MODES,
  ENTRY_TYPES,
  NODE_ENTRY_TYPES,
  type AuthenticationMode,
  type EntryProblem,
} from './types.js';

/** Username prefixes EKS keeps for itself; a custom access-entry username may not start with them. */
export const RESERVED_USERNAME_PREFIXES: readonly string[] = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];

/** The path IAM Identity Center gives its roles; access entries need it, aws-auth must omit it. */
export const SSO_ROLE_PATH = 'aws-reserved/sso.amazonaws.com/';

const CLUSTER_NAME = /^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$/;
const ACCOUNT_ID = /^[0-9]{12}$/;
const POLICY_ARN = /^arn:(aws|aws-cn|aws-us-gov|aws-iso|aws-iso-b|aws-iso-e|aws-iso-f|aws-eusc):eks::aws:cluster-access-policy\/[A-Za-z0-9]+$/;
const POLICY_NAME = /^[A-Za-z][A-Za-z0-9]*$/;
const NAMESPACE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const NAMESPACE_PREFIX = /^[a-z0-9][-a-z0-9]{0,61}$/;

function problem(code: EntryProblem['code'], field: string, message: string): EntryProblem {
  return { code, field, message };
}

/** Checks an EKS cluster name: a letter or digit, then letters, digits, `-` or `_`, at most 100. */
export function checkClusterName(name: string): EntryProblem[] {
  if (CLUSTER_NAME.test(name)) return [];
  return [problem('CLUSTER_NAME_INVALID', 'clusterName', `cluster name '${name}' is invalid: use 1 to 100 letters, digits, '-' or '_', starting with a letter or digit`)];
}

function tryPrincipal(arn: string): Principal | undefined {
  try {
    return parsePrincipal(arn);
  } catch {
    return undefined;
  }
}

/** The resource path of a role ARN (`role/a/b/Name` → `a/b/`), '' without one. */
export function rolePath(arn: string): string {
  const resource = arn.split(':').slice(5).join(':');
  const parts = resource.split('/');
  return parts.length > 2 ? `${parts.slice(1, -1).join('/')}/` : '';
}

/** The role or user name, the last part of the resource. */
export function principalName(arn: string): string {
  return arn.split('/').at(-1) ?? '';
}

/**
 * Checks that a principal ARN can carry an access entry: a valid IAM user or role ARN (not root, not
 * an STS session, not a service-linked role), and for an IAM Identity Center role the full path.
 */
export function checkPrincipalArn(arn: string): EntryProblem[] {
  const principal = tryPrincipal(arn);
  if (principal === undefined || !ACCOUNT_ID.test(principal.accountId)) {
    return [problem('PRINCIPAL_ARN_INVALID', 'principalArn', `principal ARN '${arn}' is invalid: give an IAM user or role ARN such as arn:aws:iam::111122223333:role/name`)];
  }
  if (principal.type === 'ASSUMED_ROLE' || principal.type === 'FEDERATED_USER') return [stsSessionProblem(arn, principal)];
  if (principal.type === 'ROOT') {
    return [problem('PRINCIPAL_NOT_USER_OR_ROLE', 'principalArn', `principal ARN '${arn}' is an account root: access entries take an IAM user or role ARN`)];
  }
  if (principal.type === 'ROLE') return checkRoleArn(arn);
  return [];
}

function stsSessionProblem(arn: string, principal: Principal): EntryProblem {
  const fix = principal.type === 'ASSUMED_ROLE'
    ? `give the role ARN ${principal.canonicalArn} instead, with the role's path if it has one (aws iam get-role --role-name ${principalName(principal.canonicalArn)})`
    : 'give the IAM user or role ARN that the federated session belongs to';
  return problem('PRINCIPAL_STS_SESSION', 'principalArn', `principal ARN '${arn}' is an STS session, which cannot have an access entry: ${fix}`);
}

function checkRoleArn(arn: string): EntryProblem[] {
  const path = rolePath(arn);
  const name = principalName(arn);
  if (path.startsWith('aws-service-role/')) {
    return [problem('PRINCIPAL_SERVICE_LINKED_ROLE', 'principalArn', `principal ARN '${arn}' is a service-linked role, which access entries do not support: the AWS service manages its own access`)];
  }
  if (name.startsWith('AWSReservedSSO_') && !path.startsWith(SSO_ROLE_PATH)) {
    const { partition, accountId } = parsePrincipal(arn);
    return [problem('PRINCIPAL_SSO_PATH_MISSING', 'principalArn', `IAM Identity Center role '${arn}' lacks its path: give arn:${partition}:iam::${accountId}:role/${SSO_ROLE_PATH}[REGION/]${name} as aws iam get-role --role-name ${name} prints it`)];
  }
  return [];
}

/** Checks the entry type. An undefined type means STANDARD. */
export function checkEntryType(type: string | undefined): EntryProblem[] {
  if (type === undefined || (ENTRY_TYPES as readonly string[]).includes(type)) return [];
  return [problem('TYPE_INVALID', 'type', `access entry type '${type}' is invalid: use one of ${ENTRY_TYPES.join(', ')}`)];
}

export function isNodeType(type: string | undefined): boolean {
  return type !== undefined && (NODE_ENTRY_TYPES as readonly string[]).includes(type);
}

export interface NodeTypeFields {
  readonly principalArn: string;
  readonly type: string;
  readonly username?: string | undefined;
  readonly kubernetesGroups?: readonly string[] | undefined;
  /** The cluster's own account; the check is skipped when unknown. */
  readonly clusterAccount?: string | undefined;
}

/** Checks what a node type (EC2_LINUX, FARGATE_LINUX…) may set: a role of the cluster's account and nothing else. */
export function checkNodeTypeFields(fields: NodeTypeFields): EntryProblem[] {
  if (!isNodeType(fields.type)) return [];
  const problems: EntryProblem[] = [];
  const principal = tryPrincipal(fields.principalArn);
  if (principal !== undefined && principal.type !== 'ROLE') {
    problems.push(problem('NODE_TYPE_NOT_ROLE', 'principalArn', `a ${fields.type} access entry needs an IAM role, not '${fields.principalArn}': give the node or pod execution role ARN`));
  }
  if (principal !== undefined && fields.clusterAccount !== undefined && principal.accountId !== fields.clusterAccount) {
    problems.push(problem('NODE_TYPE_OTHER_ACCOUNT', 'principalArn', `a ${fields.type} access entry needs a role of the cluster's account ${fields.clusterAccount}, not of ${principal.accountId}: use a role in ${fields.clusterAccount}`));
  }
  if ((fields.kubernetesGroups ?? []).length > 0) {
    problems.push(problem('NODE_TYPE_GROUPS', 'kubernetesGroups', `a ${fields.type} access entry cannot set Kubernetes groups (${(fields.kubernetesGroups ?? []).join(', ')}): EKS assigns the node groups itself, so drop --group`));
  }
  if (fields.username !== undefined) {
    problems.push(problem('NODE_TYPE_USERNAME', 'username', `a ${fields.type} access entry cannot set a username ('${fields.username}'): EKS generates the node username, so drop --username`));
  }
  return problems;
}

/**
 * Checks a custom username: not empty, no reserved prefix, and a colon somewhere before
 * `{{SessionName}}` so that a session name cannot forge another user's name.
 */
export function checkUsername(username: string | undefined): EntryProblem[] {
  if (username === undefined) return [];
  if (username === '') return [problem('USERNAME_EMPTY', 'username', 'username is empty: give a username or omit --username to let EKS generate one')];
  const reserved = RESERVED_USERNAME_PREFIXES.find((prefix) => username.startsWith(prefix));
  if (reserved !== undefined) {
    return [problem('USERNAME_RESERVED_PREFIX', 'username', `username '${username}' starts with the reserved prefix '${reserved}': EKS keeps ${RESERVED_USERNAME_PREFIXES.join(', ')} for itself, so choose another name`)];
  }
  const template = username.indexOf('{{SessionName}}');
  if (template >= 0 && !username.slice(0, template).includes(':')) {
    return [problem('USERNAME_SESSION_NAME_COLON', 'username', `username '${username}' needs a colon before {{SessionName}}: write it as e.g. '${username.slice(0, template)}:{{SessionName}}'`)];
  }
  return [];
}

/** Checks Kubernetes groups: no empty names, no duplicates, no `system:` groups. */
export function checkGroups(groups: readonly string[] | undefined): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const seen = new Set<string>();
  for (const group of groups ?? []) {
    if (group === '') problems.push(problem('GROUP_EMPTY', 'kubernetesGroups', 'a Kubernetes group name is empty: remove it or give a name'));
    else if (seen.has(group)) problems.push(problem('GROUP_DUPLICATE', 'kubernetesGroups', `Kubernetes group '${group}' is listed twice: list it once`));
    else if (group === 'system:masters') problems.push(problem('GROUP_SYSTEM_MASTERS', 'kubernetesGroups', "group 'system:masters' cannot be set on an access entry: associate AmazonEKSClusterAdminPolicy with cluster scope instead (kubeiam policy associate --policy AmazonEKSClusterAdminPolicy --scope cluster)"));
    else if (group.startsWith('system:')) problems.push(problem('GROUP_SYSTEM_PREFIX', 'kubernetesGroups', `group '${group}' uses the reserved 'system:' prefix: bind RBAC to a group of your own, or associate an access policy`));
    seen.add(group);
  }
  return problems;
}

/** Builds the ARN of an access policy from its name, or returns a full ARN unchanged. */
export function policyArnFor(policy: string, partition = 'aws'): string {
  return policy.startsWith('arn:') ? policy : `arn:${partition}:eks::aws:cluster-access-policy/${policy}`;
}

/** Checks a policy given as a `cluster-access-policy` ARN or a bare name. */
export function checkPolicy(policy: string): EntryProblem[] {
  if (policy.startsWith('arn:') ? POLICY_ARN.test(policy) : POLICY_NAME.test(policy)) return [];
  return [problem('POLICY_ARN_INVALID', 'policyArn', `access policy '${policy}' is invalid: give a name such as AmazonEKSViewPolicy or an ARN arn:aws:eks::aws:cluster-access-policy/NAME (kubeiam policy list shows them)`)];
}

/** Checks a policy against the live ListAccessPolicies list. */
export function checkPolicyKnown(policyArn: string, known: readonly string[]): EntryProblem[] {
  if (known.includes(policyArn)) return [];
  return [problem('POLICY_UNKNOWN', 'policyArn', `access policy '${policyArn}' is not in this region's ListAccessPolicies list: run kubeiam policy list --available to see the policies`)];
}

/** Checks an access scope: `cluster` without namespaces, or `namespace` with valid, distinct names. */
export function checkScope(type: string, namespaces: readonly string[]): EntryProblem[] {
  if (type === 'cluster') {
    if (namespaces.length === 0) return [];
    return [problem('SCOPE_CLUSTER_NAMESPACES', 'accessScope.namespaces', `a cluster scope takes no namespaces (${namespaces.join(', ')}): use --scope namespace, or drop --namespace`)];
  }
  if (type !== 'namespace') {
    return [problem('SCOPE_TYPE_INVALID', 'accessScope.type', `access scope '${type}' is invalid: use cluster or namespace`)];
  }
  if (namespaces.length === 0) {
    return [problem('SCOPE_NAMESPACES_MISSING', 'accessScope.namespaces', 'a namespace scope needs at least one namespace: add --namespace NAME (a trailing * matches a prefix, e.g. dev-*)')];
  }
  return checkNamespaces(namespaces);
}

function checkNamespaces(namespaces: readonly string[]): EntryProblem[] {
  const problems: EntryProblem[] = [];
  const seen = new Set<string>();
  for (const namespace of namespaces) {
    const valid = namespace.endsWith('*') ? NAMESPACE_PREFIX.test(namespace.slice(0, -1)) : NAMESPACE.test(namespace);
    if (!valid) {
      problems.push(problem('SCOPE_NAMESPACE_INVALID', 'accessScope.namespaces', `namespace '${namespace}' is invalid: use a Kubernetes namespace name (lower-case letters, digits, '-'), optionally ending in * to match a prefix`));
    } else if (seen.has(namespace)) {
      problems.push(problem('SCOPE_NAMESPACE_DUPLICATE', 'accessScope.namespaces', `namespace '${namespace}' is listed twice: list it once`));
    }
    seen.add(namespace);
  }
  return problems;
}

/** Checks that a policy may be associated with an entry of the given type. */
export function checkPolicyForType(type: string, principalArn: string): EntryProblem[] {
  if (!isNodeType(type)) return [];
  return [problem('NODE_TYPE_POLICY', 'policyArn', `the access entry of ${principalArn} has type ${type}, which cannot have access policies: EKS grants node permissions itself`)];
}

/** Parses an authentication mode name. */
export function checkMode(mode: string): EntryProblem[] {
  if ((AUTHENTICATION_MODES as readonly string[]).includes(mode)) return [];
  return [problem('MODE_INVALID', 'authenticationMode', `authentication mode '${mode}' is invalid: use one of ${AUTHENTICATION_MODES.join(', ')}`)];
}

/**
 * Checks a mode change against the one-way path CONFIG_MAP → API_AND_CONFIG_MAP → API. EKS never
 * moves back. kubeiam also rejects CONFIG_MAP → API, which EKS accepts, because it drops every
 * aws-auth mapping (node roles included) before any access entry exists.
 */
export function checkModeTransition(from: AuthenticationMode, to: AuthenticationMode): EntryProblem[] {
  const step = AUTHENTICATION_MODES.indexOf(to) - AUTHENTICATION_MODES.indexOf(from);
  if (step === 0) return [problem('MODE_UNCHANGED', 'authenticationMode', `the cluster's authentication mode is already ${to}: nothing to change`)];
  if (step < 0) {
    return [problem('MODE_BACKWARDS', 'authenticationMode', `the authentication mode cannot go back from ${from} to ${to}: EKS only moves CONFIG_MAP → API_AND_CONFIG_MAP → API`)];
  }
  if (step > 1) {
    return [problem('MODE_SKIPS_MIGRATION', 'authenticationMode', `moving from ${from} straight to ${to} drops every aws-auth mapping at once: set API_AND_CONFIG_MAP first, run kubeiam migrate, then set API`)];
  }
  return [];
}

/** Checks that the cluster's mode lets the access-entry API work. */
export function checkApiEnabled(mode: AuthenticationMode, cluster: string): EntryProblem[] {
  if (mode !== 'CONFIG_MAP') return [];
  return [problem('MODE_API_DISABLED', 'authenticationMode', `cluster ${cluster} uses authentication mode CONFIG_MAP, so access entries are disabled: run kubeiam auth-mode set --cluster ${cluster} --mode API_AND_CONFIG_MAP --wait`)];
}
