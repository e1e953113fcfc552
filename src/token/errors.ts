import { KubeiamError } from '../errors.js';

/**
 * Error classes of token verification. The message texts match aws-iam-authenticator's, so operators
 * can search for them; the class decides the webhook's status (429 for throttling, 403 otherwise).
 */
export type TokenErrorCode = 'TOKEN_FORMAT' | 'TOKEN_HOST' | 'STS_ERROR' | 'STS_THROTTLING';

export class TokenError extends KubeiamError {
  declare readonly code: TokenErrorCode;

  constructor(code: TokenErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'TokenError';
  }
}

/** Creates the error for a token that is not a well-formed presigned GetCallerIdentity URL (a check before STS failed). */
export function formatError(reason: string, details: Record<string, unknown> = {}): TokenError {
  return new TokenError('TOKEN_FORMAT', `input token was not properly formatted: ${reason}`, details);
}

/** Creates the error for an STS error response or an STS that could not be reached. */
export function stsError(reason: string, details: Record<string, unknown> = {}): TokenError {
  return new TokenError('STS_ERROR', `sts getCallerIdentity failed: ${reason}`, details);
}

/** Creates the error for a throttled STS request; the webhook returns 429, so the API server retries later. */
export function stsThrottling(reason: string, details: Record<string, unknown> = {}): TokenError {
  return new TokenError('STS_THROTTLING', `sts getCallerIdentity was throttled: ${reason}`, details);
}
