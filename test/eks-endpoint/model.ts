/**
 * State and server-side rules of the test-only EKS endpoint. This is an independent model of what
 * the EKS API enforces (written from the API reference, not from kubeiam's rules), so tests can show
 * that kubeiam rejects a request before EKS would, and that the SDK surfaces EKS's own errors.
 */

export const ENDPOINT_ENTRY_TYPES = ['STANDARD', 'EC2', 'EC2_LINUX', 'EC2_WINDOWS', 'FARGATE_LINUX', 'HYBRID_LINUX', 'HYPERPOD_LINUX'];
const NODE_TYPES = new Set(ENDPOINT_ENTRY_TYPES.filter((type) => type !== 'STANDARD'));
const RESERVED_PREFIXES = ['system:', 'eks:', 'aws:', 'amazon:', 'iam:'];
const MODES = ['CONFIG_MAP', 'API_AND_CONFIG_MAP', 'API'];
const PRINCIPAL = /^arn:(aws[a-z-]*):iam::(\d{12}):(role|user)\/(.+)$/;

/** An EKS API error: the `x-amzn-ErrorType` name, the HTTP status and the message. */
export class ApiError extends Error {
  constructor(readonly type: string, readonly status: number, message: string) {
    super(message);
  }
}

export const invalidParameter = (message: string): ApiError => new ApiError('InvalidParameterException', 400, message);
export const invalidRequest = (message: string): ApiError => new ApiError('InvalidRequestException', 400, message);
export const notFound = (message: string): ApiError => new ApiError('ResourceNotFoundException', 404, message);
export const inUse = (message: string): ApiError => new ApiError('ResourceInUseException', 409, message);

export interface StoredAssociation {
  policyArn: string;
  accessScope: { type: string; namespaces?: string[] };
  associatedAt: Date;
  modifiedAt: Date;
}

export interface StoredEntry {
  principalArn: string;
  type: string;
  username: string;
  kubernetesGroups: string[];
  createdAt: Date;
  modifiedAt: Date;
  accessEntryArn: string;
  tags: Record<string, string>;
  /** The unique ID the principal had at creation; EKS matches callers by it. */
  principalId: string;
  policies: Map<string, StoredAssociation>;
}

export interface StoredUpdate {
  id: string;
  status: string;
  mode: string;
  createdAt: Date;
  /** DescribeUpdate calls left before the update succeeds. */
  pollsLeft: number;
}

export interface StoredCluster {
  name: string;
  account: string;
  region: string;
  mode: string;
  entries: Map<string, StoredEntry>;
  updates: Map<string, StoredUpdate>;
}

/** Resolves a principal ARN to its current unique ID, or undefined when IAM has no such principal. */
export type PrincipalResolver = (arn: string) => Promise<string | undefined>;

function partitionOf(arn: string): string {
  return arn.split(':')[1] ?? 'aws';
}

/** Returns the username EKS generates for a principal and entry type. */
export function defaultUsername(principalArn: string, type: string): string {
  if (type === 'EC2' || type === 'EC2_LINUX' || type === 'EC2_WINDOWS') return 'system:node:{{EC2PrivateDNSName}}';
  if (NODE_TYPES.has(type)) return 'system:node:{{SessionName}}';
  const match = PRINCIPAL.exec(principalArn);
  if (match?.[3] !== 'role') return principalArn;
  const name = match[4]?.split('/').at(-1) ?? '';
  return `arn:${match[1]}:sts::${match[2]}:assumed-role/${name}/{{SessionName}}`;
}

/** Returns the groups EKS gives node entries. */
export function defaultGroups(type: string): string[] {
  return NODE_TYPES.has(type) ? ['system:nodes'] : [];
}

export function requireApiMode(cluster: StoredCluster): void {
  if (cluster.mode === 'CONFIG_MAP') {
    throw invalidRequest("The cluster's authentication mode must be set to one of [API, API_AND_CONFIG_MAP] to perform this operation.");
  }
}

export function checkPrincipalShape(arn: unknown): string {
  if (typeof arn !== 'string' || arn === '') throw invalidParameter('principalArn is required');
  if (!PRINCIPAL.test(arn) || arn.includes(':role/aws-service-role/')) {
    throw invalidParameter('The specified principalArn is invalid: invalid principal');
  }
  return arn;
}

export function checkUsernameRules(username: string): void {
  const prefix = RESERVED_PREFIXES.find((candidate) => username.startsWith(candidate));
  if (prefix !== undefined) throw invalidParameter(`username must not start with ${prefix}`);
  const template = username.indexOf('{{SessionName}}');
  if (template >= 0 && !username.slice(0, template).includes(':')) {
    throw invalidParameter('username containing {{SessionName}} must have a colon before it');
  }
}

export function checkNodeRules(cluster: StoredCluster, arn: string, type: string, username: unknown, groups: unknown): void {
  if (!NODE_TYPES.has(type)) return;
  const match = PRINCIPAL.exec(arn);
  if (match?.[3] !== 'role') throw invalidParameter(`An access entry of type ${type} requires an IAM role principal`);
  if (match[2] !== cluster.account) throw invalidParameter(`An access entry of type ${type} requires a principal in the cluster's account`);
  if (Array.isArray(groups) && groups.length > 0) throw invalidParameter(`kubernetesGroups cannot be specified for an access entry of type ${type}`);
  if (username !== undefined) throw invalidParameter(`username cannot be specified for an access entry of type ${type}`);
}

export function isNodeType(type: string): boolean {
  return NODE_TYPES.has(type);
}

/** Checks a mode change as EKS does: forward only (CONFIG_MAP may go straight to API). */
export function checkModeChange(from: string, to: unknown): string {
  if (typeof to !== 'string' || !MODES.includes(to)) throw invalidParameter(`authenticationMode ${String(to)} is not valid`);
  if (MODES.indexOf(to) <= MODES.indexOf(from)) throw invalidParameter(`Unsupported authentication mode update from ${from} to ${to}`);
  return to;
}

export function checkScopeRules(scope: unknown): { type: string; namespaces?: string[] } {
  if (typeof scope !== 'object' || scope === null) throw invalidParameter('accessScope is required');
  const { type, namespaces } = scope as { type?: unknown; namespaces?: unknown };
  const list = Array.isArray(namespaces) ? namespaces.filter((item): item is string => typeof item === 'string') : [];
  if (type === 'cluster') {
    if (list.length > 0) throw invalidParameter('namespaces cannot be specified for an access scope of type cluster');
    return { type };
  }
  if (type === 'namespace') {
    if (list.length === 0) throw invalidParameter('namespaces must be specified for an access scope of type namespace');
    return { type, namespaces: list };
  }
  throw invalidParameter(`accessScope type ${String(type)} is not valid`);
}

export function entryArn(cluster: StoredCluster, principalArn: string, type: string): string {
  const kind = PRINCIPAL.exec(principalArn)?.[3] ?? 'role';
  const name = principalArn.split('/').at(-1) ?? '';
  return `arn:${partitionOf(principalArn)}:eks:${cluster.region}:${cluster.account}:access-entry/${cluster.name}/${kind}/${cluster.account}/${name}/${type.toLowerCase()}`;
}
