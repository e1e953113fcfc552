import { parseArn, parsePrincipal, stripPath, type PrincipalType } from '../arn/index.js';
import { clientConfig, type AwsTarget } from './config.js';
import { awsErrorName, callFailed } from './errors.js';

/** `exists`/`missing` come from IAM; `unchecked` when IAM cannot tell for this ARN or account. */
export type PrincipalStatus = 'exists' | 'missing' | 'unchecked';

export type PrincipalWarningCode =
  | 'ROLE_PATH_DROPPED'
  | 'ARN_PATH_DIFFERS'
  | 'ASSUMED_ROLE_ARN'
  | 'OTHER_ACCOUNT'
  | 'NOT_CHECKABLE';

export interface PrincipalWarning {
  readonly code: PrincipalWarningCode;
  readonly message: string;
  /** Values of the catalogue template `iamWarning.<code>`, for messages in other languages. */
  readonly params: Readonly<Record<string, string>>;
  /** The template variant when a code has several wordings: key `iamWarning.<code>.<variant>`. */
  readonly variant?: string;
}

/** IAM's record of a principal ARN, and the ARN to write into aws-auth for it. */
export interface PrincipalLookup {
  /** The ARN as given. */
  readonly arn: string;
  readonly type: PrincipalType;
  readonly status: PrincipalStatus;
  /** The ARN IAM reports, with the path; set when the principal exists. */
  readonly realArn?: string;
  /** The unique ID (`AIDA…` for users, `AROA…` for roles), which EKS access entries match on. */
  readonly uniqueId?: string;
  /**
   * The ARN for aws-auth: a role ARN without its path (STS reports assumed roles without it), a
   * user ARN exactly as IAM reports it (users keep their path).
   */
  readonly awsAuthArn: string;
  readonly warnings: readonly PrincipalWarning[];
}

export interface LookupOptions {
  /**
   * Account of the credentials. When the ARN is in another account, IAM is not asked, because
   * GetUser and GetRole look names up in the caller's own account only. Default: unknown.
   */
  readonly callerAccount?: string;
}

interface Found {
  readonly arn: string;
  readonly id: string;
}

/**
 * Checks a user, role or assumed-role ARN against IAM (GetUser/GetRole by name) for `grant`: does
 * the principal exist, what is its real ARN with path, and which ARN aws-auth needs. Root and
 * federated-user ARNs cannot be checked and come back `unchecked`. Throws an ArnError for an
 * invalid ARN and AWS_CALL_FAILED when IAM fails for another reason than a missing entity.
 */
export async function lookupPrincipal(target: AwsTarget, arn: string, options: LookupOptions = {}): Promise<PrincipalLookup> {
  const principal = parsePrincipal(arn);
  const warnings: PrincipalWarning[] = [];
  const base = { arn, type: principal.type, awsAuthArn: principal.canonicalArn };

  if (principal.type === 'ROOT' || principal.type === 'FEDERATED_USER') {
    warnings.push({
      code: 'NOT_CHECKABLE',
      message: `IAM has no GetUser or GetRole for ${principal.type === 'ROOT' ? 'the root user' : 'a federated user'}; ${arn} is used as given`,
      params: { arn },
      variant: principal.type === 'ROOT' ? 'root' : 'federated',
    });
    return { ...base, status: 'unchecked', warnings };
  }
  if (principal.type === 'ASSUMED_ROLE') {
    warnings.push({ code: 'ASSUMED_ROLE_ARN', message: `${arn} is an STS session ARN; aws-auth maps the role ${principal.canonicalArn}`, params: { arn, roleArn: principal.canonicalArn } });
  }
  if (options.callerAccount !== undefined && options.callerAccount !== principal.accountId) {
    warnings.push({
      code: 'OTHER_ACCOUNT',
      message: `${arn} is in account ${principal.accountId} but the credentials are for account ${options.callerAccount}; IAM can only check principals of the caller's account`,
      params: { arn, account: principal.accountId, callerAccount: options.callerAccount },
      variant: 'caller',
    });
    return { ...base, status: 'unchecked', warnings };
  }

  const isUser = principal.type === 'USER';
  const name = lastPart(principal.canonicalArn);
  const found = isUser ? await getUser(target, name) : await getRole(target, name);
  if (found === undefined) return { ...base, awsAuthArn: isUser ? arn : stripPath(principal.canonicalArn), status: 'missing', warnings };
  if (parseArn(found.arn).accountId !== principal.accountId) {
    const foundAccount = parseArn(found.arn).accountId;
    warnings.push({
      code: 'OTHER_ACCOUNT',
      message: `${arn} is in account ${principal.accountId}, but IAM returned a principal of account ${foundAccount}; check with credentials of account ${principal.accountId}`,
      params: { arn, account: principal.accountId, foundAccount },
      variant: 'found',
    });
    return { ...base, status: 'unchecked', warnings };
  }

  warnings.push(...pathWarnings(principal.type, principal.canonicalArn, found.arn));
  const awsAuthArn = isUser ? found.arn : stripPath(found.arn);
  return { ...base, status: 'exists', realArn: found.arn, uniqueId: found.id, awsAuthArn, warnings };
}

function pathWarnings(type: PrincipalType, given: string, real: string): PrincipalWarning[] {
  const warnings: PrincipalWarning[] = [];
  const isRole = type === 'ROLE' || type === 'ASSUMED_ROLE';
  if (isRole && stripPath(real) !== real) {
    warnings.push({
      code: 'ROLE_PATH_DROPPED',
      message: `role ${real} has a path; aws-auth must name it ${stripPath(real)} because STS reports assumed roles without the path (EKS access entries take the full ARN)`,
      params: { real, stripped: stripPath(real) },
    });
  }
  // A path-less role ARN is the form aws-auth wants; a role ARN with a path must be the real one.
  const givenHasPath = stripPath(given) !== given;
  let expected = real;
  if (isRole && !givenHasPath) expected = stripPath(real);
  const differs = given !== expected;
  if (differs) warnings.push({ code: 'ARN_PATH_DIFFERS', message: `${given} does not match the ARN IAM reports, ${real}`, params: { given, real } });
  return warnings;
}

function lastPart(arn: string): string {
  return parseArn(arn).resource.split('/').at(-1) ?? '';
}

async function getUser(target: AwsTarget, userName: string): Promise<Found | undefined> {
  const { IAMClient, GetUserCommand } = await import('@aws-sdk/client-iam');
  const client = new IAMClient(clientConfig(target, 'IAM'));
  try {
    const { User } = await client.send(new GetUserCommand({ UserName: userName }));
    return User?.Arn ? { arn: User.Arn, id: User.UserId ?? '' } : undefined;
  } catch (error) {
    if (awsErrorName(error) === 'NoSuchEntityException') return undefined;
    throw callFailed('iam:GetUser', userName, error);
  } finally {
    client.destroy();
  }
}

async function getRole(target: AwsTarget, roleName: string): Promise<Found | undefined> {
  const { IAMClient, GetRoleCommand } = await import('@aws-sdk/client-iam');
  const client = new IAMClient(clientConfig(target, 'IAM'));
  try {
    const { Role } = await client.send(new GetRoleCommand({ RoleName: roleName }));
    return Role?.Arn ? { arn: Role.Arn, id: Role.RoleId ?? '' } : undefined;
  } catch (error) {
    if (awsErrorName(error) === 'NoSuchEntityException') return undefined;
    throw callFailed('iam:GetRole', roleName, error);
  } finally {
    client.destroy();
  }
}
