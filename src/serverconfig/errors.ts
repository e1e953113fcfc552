import { KubeiamError } from '../errors.js';

export type ServerConfigErrorCode =
  | 'CONFIG_FILE_UNREADABLE'
  | 'CONFIG_FILE_INVALID'
  | 'CONFIG_VALUE_INVALID'
  | 'CLUSTER_ID_MISSING'
  | 'PARTITION_INVALID'
  | 'BACKEND_MODE_INVALID'
  | 'DYNAMIC_FILE_COUPLING';

/** The server configuration cannot be used; the message names the key, the value and the fix. */
export class ServerConfigError extends KubeiamError {
  declare readonly code: ServerConfigErrorCode;

  constructor(code: ServerConfigErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'ServerConfigError';
  }
}
