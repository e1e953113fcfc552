/** Access entry types of the EKS API (`type` of CreateAccessEntry). */
export const ENTRY_TYPES = ['STANDARD', 'EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX'] as const;
export type EntryType = (typeof ENTRY_TYPES)[number];

/** Types for nodes and pods: roles of the cluster's own account, no groups, username or policies. */
export const NODE_ENTRY_TYPES: readonly EntryType[] = ['EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX'];

/** Cluster authentication modes, in the only order EKS allows moving through them. */
export const AUTHENTICATION_MODES = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'] as const;
export type AuthenticationMode = (typeof AUTHENTICATION_MODES)[number];

export type AccessScopeType = 'cluster' | 'namespace';

export interface AccessScope {
  readonly type: AccessScopeType;
  /** Only for `namespace` scopes; a trailing `*` is a wildcard (`dev-*`). */
  readonly namespaces: readonly string[];
}

/** A policy associated with an access entry. */
export interface PolicyAssociation {
  readonly policyArn: string;
  readonly accessScope: AccessScope;
  readonly associatedAt?: Date;
  readonly modifiedAt?: Date;
}

/** An access entry as DescribeAccessEntry returns it, plus its associated policies when read. */
export interface AccessEntry {
  readonly principalArn: string;
  /** One of ENTRY_TYPES, or a newer type EKS added since. */
  readonly type: string;
  /** The username EKS stores: the custom one, or the default it generated for the principal and type. */
  readonly username: string;
  readonly kubernetesGroups: readonly string[];
  readonly createdAt?: Date;
  readonly modifiedAt?: Date;
  readonly accessEntryArn?: string;
  readonly policies?: readonly PolicyAssociation[];
  /**
   * The unique ID (`AROA…`, `AIDA…`) of the principal the entry was bound to, when known (from an
   * access-entries file). EKS matches callers by this ID, not by the ARN.
   */
  readonly principalId?: string;
}

/** The fields a caller sets on CreateAccessEntry. */
export interface CreateEntryRequest {
  readonly principalArn: string;
  /** Default: STANDARD. */
  readonly type?: string;
  readonly username?: string;
  readonly kubernetesGroups?: readonly string[];
  readonly tags?: Readonly<Record<string, string>>;
}

/** The fields UpdateAccessEntry can change; `kubernetesGroups` replaces the whole list. */
export interface UpdateEntryRequest {
  readonly principalArn: string;
  readonly username?: string;
  readonly kubernetesGroups?: readonly string[];
}

export interface AssociatePolicyRequest {
  readonly principalArn: string;
  /** A full `cluster-access-policy` ARN or a bare policy name (`AmazonEKSViewPolicy`). */
  readonly policy: string;
  readonly scope: string;
  readonly namespaces: readonly string[];
}

/** A rule violation: a stable code, the field, and a message naming the value and the fix. */
export interface EntryProblem {
  readonly code: EntryProblemCode;
  readonly field: string;
  readonly message: string;
}

export type EntryProblemCode =
  | 'CLUSTER_NAME_INVALID'
  | 'PRINCIPAL_ARN_INVALID'
  | 'PRINCIPAL_NOT_USER_OR_ROLE'
  | 'PRINCIPAL_STS_SESSION'
  | 'PRINCIPAL_SERVICE_LINKED_ROLE'
  | 'PRINCIPAL_SSO_PATH_MISSING'
  | 'TYPE_INVALID'
  | 'NODE_TYPE_NOT_ROLE'
  | 'NODE_TYPE_OTHER_ACCOUNT'
  | 'NODE_TYPE_GROUPS'
  | 'NODE_TYPE_USERNAME'
  | 'NODE_TYPE_POLICY'
  | 'USERNAME_EMPTY'
  | 'USERNAME_RESERVED_PREFIX'
  | 'USERNAME_SESSION_NAME_COLON'
  | 'GROUP_EMPTY'
  | 'GROUP_DUPLICATE'
  | 'GROUP_SYSTEM_MASTERS'
  | 'GROUP_SYSTEM_PREFIX'
  | 'POLICY_ARN_INVALID'
  | 'POLICY_UNKNOWN'
  | 'SCOPE_TYPE_INVALID'
  | 'SCOPE_CLUSTER_NAMESPACES'
  | 'SCOPE_NAMESPACES_MISSING'
  | 'SCOPE_NAMESPACE_INVALID'
  | 'SCOPE_NAMESPACE_DUPLICATE'
  | 'MODE_INVALID'
  | 'MODE_UNCHANGED'
  | 'MODE_BACKWARDS'
  | 'MODE_SKIPS_MIGRATION'
  | 'MODE_API_DISABLED';
