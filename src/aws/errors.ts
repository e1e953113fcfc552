import { KubeiamError } from '../errors.js';

/** Codes of the errors the AWS adapters raise. */
export type AwsErrorCode =
  | 'AWS_REGION_MISSING'
  | 'AWS_ENDPOINT_INVALID'
  | 'AWS_CALL_FAILED'
  | 'AWS_RESPONSE_INVALID'
  | 'EKS_CLUSTER_NOT_FOUND'
  | 'EKS_CLUSTER_NOT_READY'
  | 'KUBECONFIG_INVALID'
  | 'TRAIL_LOGS_UNREADABLE';

export function awsError(code: AwsErrorCode, message: string, details: Record<string, unknown> = {}): KubeiamError {
  return new KubeiamError(code, message, details);
}

/** Returns the AWS error code of an SDK exception (`ResourceNotFoundException`, `AccessDeniedException`, …). */
export function awsErrorName(error: unknown): string {
  return error instanceof Error ? error.name : 'Error';
}

/**
 * Wraps an SDK failure into AWS_CALL_FAILED naming the operation and the AWS error code. SDK
 * messages carry no credentials, so they are kept as the detail.
 */
export function callFailed(operation: string, target: string, error: unknown): KubeiamError {
  const name = awsErrorName(error);
  const message = error instanceof Error ? error.message : String(error);
  const hint = callFailedHint(operation, name, error);
  return awsError('AWS_CALL_FAILED', `${operation} for ${target} failed: ${name}: ${message}${hint}`, {
    operation,
    target,
    awsCode: name,
  });
}

/** Network error codes of Node.js for an endpoint that could not be reached. */
const UNREACHABLE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** Suggests the next step for a denied call (a missing permission) or an unreachable endpoint. */
function callFailedHint(operation: string, name: string, error: unknown): string {
  if (name.includes('AccessDenied') || name === 'UnauthorizedOperation') return `; the caller needs permission for ${operation}`;
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return '; the endpoint could not be reached: check the network and the region, or point AWS_ENDPOINT_URL_<SERVICE> or the command\'s --endpoint-url at a local endpoint';
  }
  return '';
}
