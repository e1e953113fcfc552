import { KubeiamError } from '../errors.js';
import { isPartitionId, type PartitionId } from './partitions.js';

/** The six colon-separated sections of an ARN. `resource` keeps any further colons. */
export interface Arn {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly accountId: string;
  readonly resource: string;
}

export type PrincipalType = 'USER' | 'ROLE' | 'ASSUMED_ROLE' | 'FEDERATED_USER' | 'ROOT';

export interface Principal {
  readonly type: PrincipalType;
  readonly partition: PartitionId;
  readonly accountId: string;
  /** The ARN as given. */
  readonly arn: string;
  /** The ARN EKS maps: assumed roles become `arn:<p>:iam::<account>:role/<name>` without path. */
  readonly canonicalArn: string;
  /** For ASSUMED_ROLE, the session name (last resource part); '' otherwise. */
  readonly sessionName: string;
}

export type ArnErrorCode =
  | 'ARN_INVALID'
  | 'ARN_PARTITION'
  | 'ARN_SERVICE'
  | 'ARN_RESOURCE'
  | 'ARN_ASSUMED_ROLE';

export class ArnError extends KubeiamError {
  declare readonly code: ArnErrorCode;

  constructor(code: ArnErrorCode, message: string, arn: string) {
    super(code, message, { arn });
    this.name = 'ArnError';
  }
}

/**
 * Parses an ARN like the AWS SDK's `arn.Parse`: it must start with `arn:` and split into exactly six
 * sections (the resource keeps any further colons). Sections are not validated.
 */
export function parseArn(arn: string): Arn {
  if (!arn.startsWith('arn:')) {
    throw new ArnError('ARN_INVALID', `arn '${arn}' is invalid: 'arn: invalid prefix'`, arn);
  }
  const sections = splitN(arn, ':', 6);
  if (sections.length !== 6) {
    throw new ArnError('ARN_INVALID', `arn '${arn}' is invalid: 'arn: not enough sections'`, arn);
  }
  const [, partition, service, region, accountId, resource] = sections as [
    string, string, string, string, string, string,
  ];
  return { partition, service, region, accountId, resource };
}

/** Splits like Go's strings.SplitN: at most `limit` parts, the last one keeps the separators. */
export function splitN(text: string, separator: string, limit: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (parts.length < limit - 1) {
    const index = rest.indexOf(separator);
    if (index < 0) break;
    parts.push(rest.slice(0, index));
    rest = rest.slice(index + separator.length);
  }
  parts.push(rest);
  return parts;
}

function parseKnownPartition(arn: string): Arn & { partition: PartitionId } {
  const parsed = parseArn(arn);
  if (!isPartitionId(parsed.partition)) {
    throw new ArnError('ARN_PARTITION', `arn '${arn}' does not have a recognized partition`, arn);
  }
  return parsed as Arn & { partition: PartitionId };
}

/**
 * Classifies a principal ARN and computes the ARN EKS maps, exactly as aws-iam-authenticator's
 * Canonicalize does. The case of every section is preserved.
 */
export function parsePrincipal(arn: string): Principal {
  const parsed = parseKnownPartition(arn);
  const { partition, service, accountId, resource } = parsed;
  const parts = resource.split('/');
  const resourceType = parts[0] ?? '';
  const principal = { partition, accountId, arn, canonicalArn: arn, sessionName: '' };

  if (service === 'sts') {
    if (resourceType === 'federated-user') return { ...principal, type: 'FEDERATED_USER' };
    if (resourceType === 'assumed-role') {
      if (parts.length < 3) {
        throw new ArnError('ARN_ASSUMED_ROLE', `assumed-role arn '${arn}' does not have a role`, arn);
      }
      const roleName = parts.slice(1, -1).join('/');
      return {
        ...principal,
        type: 'ASSUMED_ROLE',
        canonicalArn: `arn:${partition}:iam::${accountId}:role/${roleName}`,
        sessionName: parts[parts.length - 1] ?? '',
      };
    }
    throw new ArnError('ARN_RESOURCE', `unrecognized resource ${resource} for service sts`, arn);
  }

  if (service === 'iam') {
    if (resourceType === 'role') return { ...principal, type: 'ROLE' };
    if (resourceType === 'user') return { ...principal, type: 'USER' };
    if (resourceType === 'root') return { ...principal, type: 'ROOT' };
    throw new ArnError('ARN_RESOURCE', `unrecognized resource ${resource} for service iam`, arn);
  }

  throw new ArnError(
    'ARN_SERVICE',
    `service ${service} in arn ${arn} is not a valid service for identities`,
    arn,
  );
}

/** Returns the canonical ARN of a principal (see parsePrincipal). */
export function canonicalize(arn: string): string {
  return parsePrincipal(arn).canonicalArn;
}

/**
 * Drops the path of an IAM role ARN (`role/a/b/Name` becomes `role/Name`), because STS reports
 * assumed roles without their path. Users and every other ARN are returned unchanged.
 */
export function stripPath(arn: string): string {
  const { partition, service, accountId, resource } = parseKnownPartition(arn);
  const parts = resource.split('/');
  if (service !== 'iam' || parts[0] !== 'role' || parts.length <= 2) return arn;
  return `arn:${partition}:iam::${accountId}:role/${parts[parts.length - 1] ?? ''}`;
}

/** Reports whether an IAM role ARN carries a path (`role/path/Name`). */
export function roleHasPath(arn: string): boolean {
  try {
    const { service, resource } = parseArn(arn);
    const parts = resource.split('/');
    return service === 'iam' && parts[0] === 'role' && parts.length > 2;
  } catch {
    return false;
  }
}
