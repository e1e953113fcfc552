/**
 * Base class of every error kubeiam raises on purpose. `code` is stable and machine-readable; the
 * message names the failing value and the next step, and never contains a secret.
 */
export class KubeiamError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'KubeiamError';
    this.code = code;
    this.details = details;
  }
}

/** Reports whether a value is a KubeiamError with the given code (or any code when omitted). */
export function isKubeiamError(value: unknown, code?: string): value is KubeiamError {
  return value instanceof KubeiamError && (code === undefined || value.code === code);
}
