import {
  AssociateAccessPolicyCommand,
  CreateAccessEntryCommand,
  DeleteAccessEntryCommand,
  DescribeAccessEntryCommand,
  DescribeClusterCommand,
  DescribeUpdateCommand,
  DisassociateAccessPolicyCommand,
  EKSClient,
  ListAccessEntriesCommand,
  ListAccessPoliciesCommand,
  ListAssociatedAccessPoliciesCommand,
  UpdateAccessEntryCommand,
  UpdateClusterConfigCommand,
  type AccessEntry as SdkAccessEntry,
  type AssociatedAccessPolicy,
} from '@aws-sdk/client-eks';
import type { AwsCredentials } from '../credentials/types.js';
import { assertNoProblems, EksCallError } from './errors.js';
import { checkApiEnabled, checkClusterName, checkMode, checkModeTransition, checkPolicyKnown, policyArnFor } from './rules.js';
import type { AccessEntry, AccessScope, AssociatePolicyRequest, AuthenticationMode, CreateEntryRequest, PolicyAssociation, UpdateEntryRequest } from './types.js';
import { validateAssociate, validateCreate, validateUpdate } from './validate.js';

export interface EksClientOptions {
  readonly region: string;
  /** Default: the AWS SDK's provider chain. */
  readonly credentials?: AwsCredentials;
  /** An endpoint override such as `http://127.0.0.1:PORT` (tests, or AWS_ENDPOINT_URL_EKS). */
  readonly endpoint?: string;
  /** Default: 3, the SDK's standard retry count. */
  readonly maxAttempts?: number;
}

/** Access settings of a cluster, from DescribeCluster. */
export interface ClusterAccess {
  readonly name: string;
  readonly arn: string;
  /** The account from the cluster ARN. */
  readonly account: string;
  readonly partition: string;
  readonly authenticationMode: AuthenticationMode;
  readonly status: string;
}

export interface AccessPolicyInfo {
  readonly name: string;
  readonly arn: string;
}

/** An asynchronous cluster update as DescribeUpdate reports it. */
export interface ClusterUpdate {
  readonly id: string;
  /** InProgress, Successful, Failed or Cancelled. */
  readonly status: string;
  readonly errors: readonly string[];
}

/** Creates an EKSClient for the region, credentials and endpoint override. */
export function createEksClient(options: EksClientOptions): EKSClient {
  return new EKSClient({
    region: options.region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
}

const HINTS: Readonly<Record<string, string>> = {
  ResourceNotFoundException: 'check the cluster name and region, and that the principal has an access entry (kubeiam entry list)',
  ResourceInUseException: 'the principal already has an access entry (kubeiam entry get), or another update is in progress',
  InvalidRequestException: "check the cluster's authentication mode (kubeiam auth-mode show)",
  InvalidParameterException: 'check the values named in the message',
  AccessDeniedException: 'the caller lacks the eks: permission for this operation',
};

/**
 * Access-entry and authentication-mode operations on one cluster. Every method that changes the
 * cluster runs kubeiam's rules first and throws an EntryRuleError before any call when one fails.
 */
export class EksAccessClient {
  readonly #client: EKSClient;
  readonly cluster: string;

  constructor(client: EKSClient, cluster: string) {
    assertNoProblems(checkClusterName(cluster));
    this.#client = client;
    this.cluster = cluster;
  }

  async describeCluster(): Promise<ClusterAccess> {
    const response = await this.#send('DescribeCluster', this.cluster, () => this.#client.send(new DescribeClusterCommand({ name: this.cluster })));
    const arn = response.cluster?.arn ?? '';
    const mode = response.cluster?.accessConfig?.authenticationMode ?? 'CONFIG_MAP';
    assertNoProblems(checkMode(mode));
    const [, partition = 'aws', , , account = ''] = arn.split(':');
    return { name: this.cluster, arn, account, partition, authenticationMode: mode as AuthenticationMode, status: response.cluster?.status ?? '' };
  }

  /** Throws an EntryRuleError naming the fix when the cluster's mode disables access entries. */
  async requireApiEnabled(): Promise<ClusterAccess> {
    const cluster = await this.describeCluster();
    assertNoProblems(checkApiEnabled(cluster.authenticationMode, this.cluster));
    return cluster;
  }

  async createEntry(request: CreateEntryRequest, clusterAccount?: string): Promise<AccessEntry> {
    assertNoProblems(validateCreate(request, { account: clusterAccount }));
    const command = new CreateAccessEntryCommand({
      clusterName: this.cluster,
      principalArn: request.principalArn,
      ...(request.type ? { type: request.type } : {}),
      ...(request.username !== undefined ? { username: request.username } : {}),
      ...(request.kubernetesGroups && request.kubernetesGroups.length > 0 ? { kubernetesGroups: [...request.kubernetesGroups] } : {}),
      ...(request.tags ? { tags: { ...request.tags } } : {}),
    });
    const response = await this.#send('CreateAccessEntry', request.principalArn, () => this.#client.send(command));
    return toEntry(response.accessEntry, request.principalArn);
  }

  async describeEntry(principalArn: string): Promise<AccessEntry> {
    const command = new DescribeAccessEntryCommand({ clusterName: this.cluster, principalArn });
    const response = await this.#send('DescribeAccessEntry', principalArn, () => this.#client.send(command));
    return toEntry(response.accessEntry, principalArn);
  }

  /** Returns the entry, or undefined when the principal has none. */
  async findEntry(principalArn: string): Promise<AccessEntry | undefined> {
    try {
      return await this.describeEntry(principalArn);
    } catch (error) {
      if (error instanceof EksCallError && error.awsCode === 'ResourceNotFoundException') return undefined;
      throw error;
    }
  }

  /** Lists the principal ARNs of every entry, following nextToken. */
  async listEntries(associatedPolicyArn?: string): Promise<string[]> {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const command = new ListAccessEntriesCommand({
        clusterName: this.cluster,
        ...(associatedPolicyArn ? { associatedPolicyArn } : {}),
        ...(nextToken ? { nextToken } : {}),
      });
      const response = await this.#send('ListAccessEntries', this.cluster, () => this.#client.send(command));
      arns.push(...(response.accessEntries ?? []));
      nextToken = response.nextToken;
    } while (nextToken);
    return arns;
  }

  /** Reads every entry with its policies, like `eksctl get accessentry` does. */
  async readAllEntries(): Promise<AccessEntry[]> {
    const entries: AccessEntry[] = [];
    for (const arn of await this.listEntries()) {
      const entry = await this.describeEntry(arn);
      entries.push({ ...entry, policies: await this.listAssociatedPolicies(arn) });
    }
    return entries;
  }

  async updateEntry(request: UpdateEntryRequest): Promise<AccessEntry> {
    assertNoProblems(validateUpdate(request));
    const existing = await this.describeEntry(request.principalArn);
    assertNoProblems(validateUpdate(request, existing.type));
    const command = new UpdateAccessEntryCommand({
      clusterName: this.cluster,
      principalArn: request.principalArn,
      ...(request.username !== undefined ? { username: request.username } : {}),
      ...(request.kubernetesGroups !== undefined ? { kubernetesGroups: [...request.kubernetesGroups] } : {}),
    });
    const response = await this.#send('UpdateAccessEntry', request.principalArn, () => this.#client.send(command));
    return toEntry(response.accessEntry, request.principalArn);
  }

  async deleteEntry(principalArn: string): Promise<void> {
    const command = new DeleteAccessEntryCommand({ clusterName: this.cluster, principalArn });
    await this.#send('DeleteAccessEntry', principalArn, () => this.#client.send(command));
  }

  /**
   * Associates a policy (name or ARN) with an entry. The rules run first, then the entry's type and
   * the live policy list are read, so a node-type entry or an unknown policy fails before the change.
   */
  async associatePolicy(request: AssociatePolicyRequest, partition = 'aws'): Promise<PolicyAssociation> {
    assertNoProblems(validateAssociate(request));
    const entry = await this.describeEntry(request.principalArn);
    assertNoProblems(validateAssociate(request, entry.type));
    const policyArn = policyArnFor(request.policy, partition);
    const known = (await this.listAccessPolicies()).map((policy) => policy.arn);
    assertNoProblems(checkPolicyKnown(policyArn, known));

    const accessScope = toScope(request.scope, request.namespaces);
    const command = new AssociateAccessPolicyCommand({
      clusterName: this.cluster,
      principalArn: request.principalArn,
      policyArn,
      accessScope: { type: accessScope.type, ...(accessScope.type === 'namespace' ? { namespaces: [...accessScope.namespaces] } : {}) },
    });
    const response = await this.#send('AssociateAccessPolicy', request.principalArn, () => this.#client.send(command));
    return toAssociation(response.associatedAccessPolicy, policyArn, accessScope);
  }

  async disassociatePolicy(principalArn: string, policy: string, partition = 'aws'): Promise<void> {
    const policyArn = policyArnFor(policy, partition);
    const command = new DisassociateAccessPolicyCommand({ clusterName: this.cluster, principalArn, policyArn });
    await this.#send('DisassociateAccessPolicy', principalArn, () => this.#client.send(command));
  }

  async listAssociatedPolicies(principalArn: string): Promise<PolicyAssociation[]> {
    const associations: PolicyAssociation[] = [];
    let nextToken: string | undefined;
    do {
      const command = new ListAssociatedAccessPoliciesCommand({ clusterName: this.cluster, principalArn, ...(nextToken ? { nextToken } : {}) });
      const response = await this.#send('ListAssociatedAccessPolicies', principalArn, () => this.#client.send(command));
      for (const item of response.associatedAccessPolicies ?? []) associations.push(toAssociation(item, item.policyArn ?? '', undefined));
      nextToken = response.nextToken;
    } while (nextToken);
    return associations;
  }

  /** Reads the live list of access policies (it grows over time, so kubeiam never hard-codes it). */
  async listAccessPolicies(): Promise<AccessPolicyInfo[]> {
    const policies: AccessPolicyInfo[] = [];
    let nextToken: string | undefined;
    do {
      const command = new ListAccessPoliciesCommand(nextToken ? { nextToken } : {});
      const response = await this.#send('ListAccessPolicies', 'access policies', () => this.#client.send(command));
      for (const item of response.accessPolicies ?? []) policies.push({ name: item.name ?? '', arn: item.arn ?? '' });
      nextToken = response.nextToken;
    } while (nextToken);
    return policies;
  }

  /**
   * Starts a change of the authentication mode after checking it against the current mode.
   * Returns the update ID to pass to waitForUpdate.
   */
  async setAuthenticationMode(mode: string): Promise<ClusterUpdate> {
    assertNoProblems(checkMode(mode));
    const cluster = await this.describeCluster();
    assertNoProblems(checkModeTransition(cluster.authenticationMode, mode as AuthenticationMode));
    const command = new UpdateClusterConfigCommand({ name: this.cluster, accessConfig: { authenticationMode: mode as AuthenticationMode } });
    const response = await this.#send('UpdateClusterConfig', this.cluster, () => this.#client.send(command));
    return toUpdate(response.update);
  }

  async describeUpdate(updateId: string): Promise<ClusterUpdate> {
    const command = new DescribeUpdateCommand({ name: this.cluster, updateId });
    const response = await this.#send('DescribeUpdate', updateId, () => this.#client.send(command));
    return toUpdate(response.update);
  }

  async #send<Output>(operation: string, target: string, call: () => Promise<Output>): Promise<Output> {
    try {
      return await call();
    } catch (error) {
      const awsCode = error instanceof Error ? error.name : 'Error';
      const message = error instanceof Error ? error.message : String(error);
      throw new EksCallError(operation, target, awsCode, message, HINTS[awsCode] ?? '');
    }
  }
}

function toScope(type: string, namespaces: readonly string[]): AccessScope {
  return type === 'namespace' ? { type: 'namespace', namespaces: [...namespaces] } : { type: 'cluster', namespaces: [] };
}

function toEntry(entry: SdkAccessEntry | undefined, principalArn: string): AccessEntry {
  return {
    principalArn: entry?.principalArn ?? principalArn,
    type: entry?.type ?? 'STANDARD',
    username: entry?.username ?? '',
    kubernetesGroups: entry?.kubernetesGroups ?? [],
    ...(entry?.createdAt ? { createdAt: entry.createdAt } : {}),
    ...(entry?.modifiedAt ? { modifiedAt: entry.modifiedAt } : {}),
    ...(entry?.accessEntryArn ? { accessEntryArn: entry.accessEntryArn } : {}),
  };
}

function toAssociation(item: AssociatedAccessPolicy | undefined, policyArn: string, fallback: AccessScope | undefined): PolicyAssociation {
  const scope = item?.accessScope;
  const accessScope = scope?.type ? toScope(scope.type, scope.namespaces ?? []) : (fallback ?? { type: 'cluster' as const, namespaces: [] });
  return {
    policyArn: item?.policyArn ?? policyArn,
    accessScope,
    ...(item?.associatedAt ? { associatedAt: item.associatedAt } : {}),
    ...(item?.modifiedAt ? { modifiedAt: item.modifiedAt } : {}),
  };
}

function toUpdate(update: { id?: string | undefined; status?: string | undefined; errors?: { errorMessage?: string | undefined }[] | undefined } | undefined): ClusterUpdate {
  return { id: update?.id ?? '', status: update?.status ?? '', errors: (update?.errors ?? []).map((item) => item.errorMessage ?? '') };
}
