import type { Identity } from '../arn/identity.js';
import { parsePrincipal } from '../arn/index.js';

export interface IdentityFromArnOptions {
  /** The unique ID (`AIDA…`, `AROA…`). Default: ''. */
  readonly userId?: string;
  /** Default: ''. */
  readonly accessKeyId?: string;
}

/**
 * Builds the Identity STS would report for a principal ARN, for explaining an ARN without a token:
 * the canonical ARN, the account, and for an assumed role the session name (last part of the ARN).
 * Throws an ArnError for an ARN that is not a valid principal.
 */
export function identityFromArn(arn: string, options: IdentityFromArnOptions = {}): Identity {
  const principal = parsePrincipal(arn);
  return {
    arn,
    canonicalArn: principal.canonicalArn,
    accountId: principal.accountId,
    userId: options.userId ?? '',
    sessionName: principal.sessionName,
    accessKeyId: options.accessKeyId ?? '',
    stsEndpoint: '',
  };
}
