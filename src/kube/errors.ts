import { KubeiamError } from '../errors.js';

/** Codes of the errors the Kubernetes adapter raises. */
export type KubeErrorCode =
  | 'KUBECONFIG_NOT_FOUND'
  | 'KUBECONFIG_INVALID'
  | 'KUBE_CONTEXT_NOT_FOUND'
  | 'KUBE_NOT_FOUND'
  | 'KUBE_CONFLICT'
  | 'KUBE_ALREADY_EXISTS'
  | 'KUBE_UNAUTHORIZED'
  | 'KUBE_FORBIDDEN'
  | 'KUBE_INVALID'
  | 'KUBE_REQUEST_FAILED'
  | 'KUBE_RESPONSE_INVALID'
  | 'KUBE_CONFLICT_RETRIES_EXHAUSTED';

/** An error from the Kubernetes adapter. `status` is the HTTP status of the API server's response, if there was one. */
export class KubeError extends KubeiamError {
  declare readonly code: KubeErrorCode;
  readonly status: number | undefined;

  constructor(code: KubeErrorCode, message: string, details: Record<string, unknown> = {}, status?: number) {
    super(code, message, details);
    this.name = 'KubeError';
    this.status = status;
  }
}

export function isKubeError(value: unknown, code?: KubeErrorCode): value is KubeError {
  return value instanceof KubeError && (code === undefined || value.code === code);
}

const CODE_BY_STATUS: Record<number, KubeErrorCode> = {
  401: 'KUBE_UNAUTHORIZED',
  403: 'KUBE_FORBIDDEN',
  404: 'KUBE_NOT_FOUND',
  422: 'KUBE_INVALID',
};

/**
 * Converts a failed API call (a client-node ApiException, a Status body or a transport error) into a
 * KubeError that names the operation and the object. Only the Status `message` is kept, never headers.
 */
export function toKubeError(error: unknown, operation: string, object: string): KubeError {
  if (error instanceof KubeError) return error;
  const status = httpStatus(error);
  if (status === undefined) {
    const reason = error instanceof Error ? error.message : String(error);
    return new KubeError('KUBE_REQUEST_FAILED', `${operation} ${object} failed: ${reason}; check the server address and that the API server is reachable`, { object });
  }
  const body = statusBody(error);
  const reason = body?.reason ?? '';
  const message = body?.message ?? 'no Status message';
  const code = status === 409
    ? (reason === 'AlreadyExists' ? 'KUBE_ALREADY_EXISTS' : 'KUBE_CONFLICT')
    : (CODE_BY_STATUS[status] ?? 'KUBE_REQUEST_FAILED');
  return new KubeError(code, `${operation} ${object} failed: ${message} (HTTP ${status}${reason ? ` ${reason}` : ''})${hint(status)}`, { object, reason }, status);
}

function hint(status: number): string {
  if (status === 401) return '; the credentials in the kubeconfig were rejected, so refresh them (for EKS: `aws eks update-kubeconfig` or `kubeiam token`)';
  if (status === 403) return '; the identity lacks RBAC permission on ConfigMaps in kube-system';
  return '';
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const record = error as Record<string, unknown>;
  for (const field of ['code', 'statusCode']) {
    const value = record[field];
    if (typeof value === 'number' && value >= 100 && value < 600) return value;
  }
  return undefined;
}

/** Reads the reason and message of a Kubernetes Status body, whether a string or already parsed. */
function statusBody(error: unknown): { reason?: string; message?: string } | undefined {
  let body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body);
    } catch {
      return undefined;
    }
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  return {
    ...(typeof record['reason'] === 'string' ? { reason: record['reason'] } : {}),
    ...(typeof record['message'] === 'string' ? { message: record['message'] } : {}),
  };
}
