/**
 * Removal of bearer material from messages before they are logged. The verifier's messages should
 * not contain any. This is the second line of defence, because a Go-compatible URL parse error
 * quotes the whole presigned URL, signature and session token included.
 */
const REDACTED = '[REDACTED]';

/** A token is at least this long; shorter strings are not replaced, so common words survive. */
const MIN_TOKEN_LENGTH = 12;

const TOKEN_PATTERN = /k8s-aws-v1\.[A-Za-z0-9_\-=\r\n]*/g;

/** Query parameters of a presigned URL that let anyone replay it. */
const SECRET_PARAMETER_PATTERN = /(x-amz-(?:signature|security-token)(?:=|%3D))[^&\s"'<>]*/gi;

/**
 * Replaces the request's token, anything shaped like a kubeiam/EKS token, and the signature and
 * session token parameters of a presigned URL with `[REDACTED]`.
 */
export function redactSecrets(message: string, token?: string): string {
  let result = message;
  if (token !== undefined && token.length >= MIN_TOKEN_LENGTH) {
    result = result.split(token).join(REDACTED);
  }
  result = result.replace(TOKEN_PATTERN, `k8s-aws-v1.${REDACTED}`);
  return result.replace(SECRET_PARAMETER_PATTERN, `$1${REDACTED}`);
}
