/**
 * Builds the verified Identity from a GetCallerIdentity response, with aws-iam-authenticator's rules
 * for the user ID and session name.
 */
import { ArnError, parsePrincipal, type Identity } from '../arn/index.js';
import { stsError } from '../token/errors.js';
import { goQuote, textToRaw } from '../token/goText.js';
import type { CallerIdentity } from './response.js';

export interface TokenOrigin {
  /** Access key ID from the token's X-Amz-Credential; may be ''. */
  readonly accessKeyId: string;
  /** The STS host the token names. */
  readonly stsEndpoint: string;
}

/**
 * Builds the Identity. Users, root and federated users keep the whole UserId and have no session.
 * For roles and assumed roles the UserId must be `<id>:<session>` with exactly one colon, so an
 * `iam …:role/…` ARN with a colon-less UserId is rejected as aws-iam-authenticator rejects it.
 */
export function buildIdentity(caller: CallerIdentity, origin: TokenOrigin): Identity {
  const principal = parsePrincipalForSts(caller.arn);
  const base = {
    arn: caller.arn,
    canonicalArn: principal.canonicalArn,
    accountId: caller.account,
    accessKeyId: origin.accessKeyId,
    stsEndpoint: origin.stsEndpoint,
  };

  if (principal.type === 'USER' || principal.type === 'ROOT' || principal.type === 'FEDERATED_USER') {
    return { ...base, userId: caller.userId, sessionName: '' };
  }
  const parts = caller.userId.split(':');
  if (parts.length !== 2) throw stsError(`malformed UserID ${goQuote(textToRaw(caller.userId))}`, { userId: caller.userId });
  return { ...base, userId: parts[0] ?? '', sessionName: parts[1] ?? '' };
}

function parsePrincipalForSts(arn: string): ReturnType<typeof parsePrincipal> {
  try {
    return parsePrincipal(arn);
  } catch (error) {
    if (error instanceof ArnError) throw stsError(error.message, { arn });
    throw error;
  }
}
