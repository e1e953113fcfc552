import { isPartitionId } from '../arn/index.js';
import { KubeiamError } from '../errors.js';
import { equalFold } from '../awsauth/gofold.js';
import { arnLike } from './arnlike.js';
import type { RoleMapping, SsoReference, UserMapping } from './types.js';

/** A record that failed validation: a stable code and aws-iam-authenticator's message. */
export interface RecordError {
  readonly code:
    | 'ROLE_TARGET_MISSING'
    | 'ROLE_TARGET_AMBIGUOUS'
    | 'SSO_ACCOUNT_INVALID'
    | 'SSO_PERMISSION_SET_INVALID'
    | 'SSO_PARTITION_INVALID'
    | 'SSO_PATTERN_INVALID'
    | 'USER_ARN_MISSING';
  readonly message: string;
}

const ACCOUNT_ID = /^[0-9]{12}$/;
const PERMISSION_SET_NAME = /^[\w+=,.@-]{1,32}$/;
const CANONICAL_ROLE_PATTERN = 'arn:*:iam:*:*:role/*';

/**
 * Builds the ArnLike pattern an SSO entry matches, lower-cased:
 * `arn:<partition>:iam::<account>:role/awsreservedsso_<permission set>_*`, with `aws` for an empty
 * partition. The `*` also matches permission sets whose names extend this one (`Admin` matches
 * `Admin_ReadOnly`), as in aws-iam-authenticator.
 * Unlike aws-iam-authenticator 0.7.18, which leaves the partition empty whenever one is given (so such
 * entries never match), kubeiam uses the given partition.
 */
export function ssoPattern(sso: SsoReference): string {
  const partition = sso.partition === '' ? 'aws' : sso.partition;
  return `arn:${partition}:iam::${sso.accountID}:role/AWSReservedSSO_${sso.permissionSetName}_*`.toLowerCase();
}

/** Builds the pattern aws-iam-authenticator 0.7.18 uses, empty partition bug included (for lint and explain). */
export function referenceSsoPattern(sso: SsoReference): string {
  const partition = sso.partition === '' ? 'aws' : '';
  return `arn:${partition}:iam::${sso.accountID}:role/AWSReservedSSO_${sso.permissionSetName}_*`.toLowerCase();
}

/** Returns the de-duplication key of a role entry: the lower-cased rolearn, or the SSO pattern. */
export function roleMappingKey(mapping: RoleMapping): string {
  return mapping.sso !== undefined ? ssoPattern(mapping.sso) : mapping.rolearn.toLowerCase();
}

/** Checks a role entry like aws-iam-authenticator's RoleMapping.Validate. Returns the first error. */
export function validateRoleMapping(mapping: RoleMapping): RecordError | undefined {
  if (mapping.rolearn === '' && mapping.sso === undefined) {
    return { code: 'ROLE_TARGET_MISSING', message: 'one of rolearn or SSO must be supplied' };
  }
  if (mapping.rolearn !== '' && mapping.sso !== undefined) {
    return { code: 'ROLE_TARGET_AMBIGUOUS', message: 'only one of rolearn or SSO can be supplied' };
  }
  return mapping.sso === undefined ? undefined : validateSso(mapping.sso);
}

function validateSso(sso: SsoReference): RecordError | undefined {
  if (!ACCOUNT_ID.test(sso.accountID)) {
    return { code: 'SSO_ACCOUNT_INVALID', message: `AccountID '${sso.accountID}' is not a valid AWS Account ID` };
  }
  if (!PERMISSION_SET_NAME.test(sso.permissionSetName)) {
    return {
      code: 'SSO_PERMISSION_SET_INVALID',
      message: `PermissionSetName '${sso.permissionSetName}' is not a valid AWS SSO PermissionSet Name`,
    };
  }
  if (sso.partition !== '' && !isPartitionId(sso.partition)) {
    return { code: 'SSO_PARTITION_INVALID', message: `partition '${sso.partition}' is not a valid AWS partition` };
  }
  return validateSsoPattern(ssoPattern(sso));
}

function validateSsoPattern(pattern: string): RecordError | undefined {
  try {
    if (arnLike(pattern, CANONICAL_ROLE_PATTERN)) return undefined;
    return {
      code: 'SSO_PATTERN_INVALID',
      message: `SSOArnLike '${pattern}' did not match an ARN for a canonicalized IAM Role`,
    };
  } catch (error) {
    const reason = error instanceof KubeiamError ? error.message : String(error);
    return { code: 'SSO_PATTERN_INVALID', message: `SSOArnLike '${pattern}' is not valid: ${reason}` };
  }
}

/** Checks a user entry like aws-iam-authenticator's UserMapping.Validate. */
export function validateUserMapping(mapping: UserMapping): RecordError | undefined {
  if (mapping.userarn === '') return { code: 'USER_ARN_MISSING', message: 'value for userarn must be supplied' };
  return undefined;
}

/** The way a role entry matched: by its exact rolearn (case-insensitive) or by its SSO pattern. */
export type RoleMatch = 'exact' | 'sso';

/**
 * Matches a role entry against a lower-cased canonical ARN like RoleMapping.Matches: rolearn compared
 * with Go's EqualFold, an SSO pattern with ArnLike. SSO entries only match when `ssoRoleMatch` is on.
 */
export function matchRoleMapping(mapping: RoleMapping, subject: string, ssoRoleMatch: boolean): RoleMatch | undefined {
  if (mapping.sso === undefined) return equalFold(mapping.rolearn, subject) ? 'exact' : undefined;
  if (!ssoRoleMatch) return undefined;
  return ssoPatternMatches(mapping.sso, subject) ? 'sso' : undefined;
}

/** Reports whether the SSO entry's pattern matches the lower-cased canonical ARN (invalid ARNs never match). */
export function ssoPatternMatches(sso: SsoReference, subject: string): boolean {
  try {
    return arnLike(subject.toLowerCase(), ssoPattern(sso));
  } catch {
    return false;
  }
}
