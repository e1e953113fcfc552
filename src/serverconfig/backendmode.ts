import { ServerConfigError } from './errors.js';

/** Backend names aws-iam-authenticator 0.7.18 accepts, plus kubeiam's `AwsAuthFile`. */
export const BACKEND_MODES = ['MountedFile', 'EKSConfigMap', 'CRD', 'DynamicFile', 'AwsAuthFile'] as const;
export type BackendMode = (typeof BACKEND_MODES)[number];

/** Deprecated aliases aws-iam-authenticator still accepts, with a warning. */
export const DEPRECATED_BACKEND_MODES: Readonly<Record<string, BackendMode>> = {
  File: 'MountedFile',
  ConfigMap: 'EKSConfigMap',
};

export const DEFAULT_BACKEND_MODES: readonly BackendMode[] = ['MountedFile'];

export interface BackendModeResult {
  readonly modes: readonly BackendMode[];
  /** One `warning: backend-mode "<old>" is deprecated, use "<new>" instead` per alias. */
  readonly warnings: readonly string[];
}

function isBackendMode(name: string): name is BackendMode {
  return (BACKEND_MODES as readonly string[]).includes(name);
}

/** Formats a list like Go's `%q` of a string slice: `["A" "B"]`. */
function goQuoteList(names: readonly string[]): string {
  return `[${names.map((name) => JSON.stringify(name)).join(' ')}]`;
}

/**
 * Validates backend modes like aws-iam-authenticator's ValidateBackendMode: at least one, no
 * duplicates, every name known; deprecated aliases are replaced and reported as warnings.
 * Names are case-sensitive, as in aws-iam-authenticator. Duplicates are found after aliases are replaced, so
 * `File` and `MountedFile` together are rejected too.
 */
export function validateBackendModes(names: readonly string[]): BackendModeResult {
  if (names.length === 0) {
    throw new ServerConfigError(
      'BACKEND_MODE_INVALID',
      `at least one backend-mode must be specified: set server.backendMode or --backend-mode, e.g. ${BACKEND_MODES[0]}`,
    );
  }

  const warnings: string[] = [];
  const modes = names.map((name) => {
    const replacement = DEPRECATED_BACKEND_MODES[name];
    if (replacement !== undefined) {
      warnings.push(`warning: backend-mode "${name}" is deprecated, use "${replacement}" instead`);
      return replacement;
    }
    if (!isBackendMode(name)) {
      throw new ServerConfigError(
        'BACKEND_MODE_INVALID',
        `backend-mode "${name}" is not a valid mode: use one of ${BACKEND_MODES.join(', ')}`,
        { mode: name },
      );
    }
    return name;
  });

  if (new Set(modes).size !== modes.length) {
    throw new ServerConfigError(
      'BACKEND_MODE_INVALID',
      `backend-mode ${goQuoteList(names)} has duplicates: name each backend once`,
    );
  }
  return { modes, warnings };
}

/** Splits a backend-mode list from a flag (`,`) or from a file string or the backend-mode file (whitespace). */
export function splitBackendModes(text: string, separator: 'comma' | 'whitespace'): string[] {
  if (separator === 'comma') return text.split(',').filter((name) => name !== '');
  return text.split(/\s+/).filter((name) => name !== '');
}
