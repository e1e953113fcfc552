import { canonicalize, stripPath } from '../arn/index.js';
import { isObject, objectAt, stringAt, type JsonObject } from './json.js';

/** How long CloudTrail event history (LookupEvents) keeps management events. */
export const EVENT_HISTORY_DAYS = 90;
export const EKS_EVENT_SOURCE = 'eks.amazonaws.com';
export const CREATE_CLUSTER_EVENT = 'CreateCluster';

/** The `userIdentity` block of a CloudTrail record, reduced to the fields that name the caller. */
export interface UserIdentity {
  /** `IAMUser`, `AssumedRole`, `FederatedUser`, `Root`, `AWSService`, … */
  readonly type: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly principalId?: string;
  readonly invokedBy?: string;
  /** `sessionContext.sessionIssuer`: the role (or federating user) behind a session. */
  readonly sessionIssuerType?: string;
  readonly sessionIssuerArn?: string;
}

/** A CloudTrail record reduced to what the creator search reads. */
export interface TrailRecord {
  readonly eventId: string;
  readonly eventName: string;
  readonly eventSource: string;
  /** ISO 8601, as CloudTrail writes it. */
  readonly eventTime: string;
  readonly awsRegion: string;
  /** Set when the call failed: a failed CreateCluster created nothing. */
  readonly errorCode?: string;
  /** `requestParameters.name` (current API), `requestParameters.clusterName` (older records) or the response's cluster name. */
  readonly clusterName?: string;
  readonly userIdentity: UserIdentity;
}

/** The caller of CreateCluster, and the ARN EKS made admin. */
export interface ClusterCreator {
  readonly clusterName: string;
  readonly region: string;
  readonly identityType: string;
  /** The caller as CloudTrail recorded it (an assumed-role session ARN for roles). */
  readonly identityArn?: string;
  /** The IAM principal behind the call: the user, the role with its path, the root user, or the federating user. */
  readonly principalArn?: string;
  /** The ARN EKS matches: assumed roles become the role ARN without path. Absent for AWS services. */
  readonly canonicalArn?: string;
  readonly invokedBy?: string;
  readonly eventTime: string;
  readonly eventId: string;
  readonly notes: readonly string[];
}

/** Validates one CloudTrail record (a log file entry or a parsed `CloudTrailEvent`); undefined when it is not one. */
export function parseTrailRecord(value: unknown): TrailRecord | undefined {
  if (!isObject(value)) return undefined;
  const identity = objectAt(value, 'userIdentity');
  const eventName = stringAt(value, 'eventName');
  const eventSource = stringAt(value, 'eventSource');
  const type = stringAt(identity, 'type');
  if (identity === undefined || eventName === undefined || eventSource === undefined || type === undefined) return undefined;

  const errorCode = stringAt(value, 'errorCode');
  const clusterName = clusterNameOf(value);
  return {
    eventId: stringAt(value, 'eventID') ?? '',
    eventName,
    eventSource,
    eventTime: stringAt(value, 'eventTime') ?? '',
    awsRegion: stringAt(value, 'awsRegion') ?? '',
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(clusterName === undefined ? {} : { clusterName }),
    userIdentity: parseUserIdentity(identity, type),
  };
}

function clusterNameOf(record: JsonObject): string | undefined {
  const request = objectAt(record, 'requestParameters');
  const cluster = objectAt(objectAt(record, 'responseElements'), 'cluster');
  return stringAt(request, 'name') ?? stringAt(request, 'clusterName') ?? stringAt(cluster, 'name') ?? stringAt(cluster, 'clusterName');
}

function parseUserIdentity(identity: JsonObject, type: string): UserIdentity {
  const issuer = objectAt(objectAt(identity, 'sessionContext'), 'sessionIssuer');
  const fields: Record<string, string | undefined> = {
    arn: stringAt(identity, 'arn'),
    accountId: stringAt(identity, 'accountId'),
    principalId: stringAt(identity, 'principalId'),
    invokedBy: stringAt(identity, 'invokedBy'),
    sessionIssuerType: stringAt(issuer, 'type'),
    sessionIssuerArn: stringAt(issuer, 'arn'),
  };
  const present = Object.entries(fields).filter((entry): entry is [string, string] => entry[1] !== undefined);
  return { type, ...Object.fromEntries(present) };
}

/**
 * Reports whether a record is the successful EKS CreateCluster call of a cluster. The event source
 * matters because ECS, CloudHSM, DAX, MSK and others also have a CreateCluster event.
 */
export function isCreateClusterOf(record: TrailRecord, clusterName: string, region?: string): boolean {
  return record.eventSource === EKS_EVENT_SOURCE
    && record.eventName === CREATE_CLUSTER_EVENT
    && record.errorCode === undefined
    && record.clusterName === clusterName
    && (region === undefined || region === '' || record.awsRegion === '' || record.awsRegion === region);
}

/** Returns the most recent record, because a cluster deleted and created again keeps its name. */
export function newestRecord(records: readonly TrailRecord[]): TrailRecord | undefined {
  let newest: TrailRecord | undefined;
  for (const record of records) {
    if (newest === undefined || Date.parse(record.eventTime) > Date.parse(newest.eventTime)) newest = record;
  }
  return newest;
}

/** Derives the creator from a CreateCluster record's `userIdentity`. */
export function creatorFromRecord(record: TrailRecord): ClusterCreator {
  const identity = record.userIdentity;
  const base = {
    clusterName: record.clusterName ?? '',
    region: record.awsRegion,
    identityType: identity.type,
    eventTime: record.eventTime,
    eventId: record.eventId,
    ...(identity.arn === undefined ? {} : { identityArn: identity.arn }),
    ...(identity.invokedBy === undefined ? {} : { invokedBy: identity.invokedBy }),
  };
  if (identity.type === 'AssumedRole') return { ...base, ...assumedRoleCreator(identity) };
  if (identity.type === 'FederatedUser') {
    const notes = identity.sessionIssuerArn === undefined ? [] : [`the federated session was issued by ${identity.sessionIssuerArn} (GetFederationToken)`];
    return { ...base, ...arnCreator(identity.arn), ...(identity.sessionIssuerArn === undefined ? {} : { principalArn: identity.sessionIssuerArn }), notes };
  }
  if (identity.type === 'AWSService') {
    return { ...base, notes: [`the cluster was created by the AWS service ${identity.invokedBy ?? 'unknown'}, not by an IAM principal`] };
  }
  return { ...base, ...arnCreator(identity.arn), notes: [] };
}

function assumedRoleCreator(identity: UserIdentity): Partial<ClusterCreator> & { notes: string[] } {
  const roleArn = identity.sessionIssuerType === 'Role' ? identity.sessionIssuerArn : undefined;
  const fromSession = safeCanonicalize(identity.arn);
  if (roleArn === undefined) return { ...(fromSession === undefined ? {} : { canonicalArn: fromSession }), notes: [] };

  const canonicalArn = stripPath(roleArn);
  const notes = canonicalArn === roleArn ? [] : [`the role ${roleArn} has a path; EKS matches it without the path: ${canonicalArn}`];
  return { principalArn: roleArn, canonicalArn, notes };
}

function arnCreator(arn: string | undefined): Partial<ClusterCreator> {
  const canonicalArn = safeCanonicalize(arn);
  if (arn === undefined || canonicalArn === undefined) return {};
  return { principalArn: arn, canonicalArn };
}

function safeCanonicalize(arn: string | undefined): string | undefined {
  if (arn === undefined) return undefined;
  try {
    return canonicalize(arn);
  } catch {
    return undefined;
  }
}
