import { KubeiamError } from '../errors.js';
import type { MessageKey, MessageParams } from '../i18n/catalog.js';

/**
 * An error the CLI reports with a catalogue message. `exitCode` is 2 for usage errors, 1 otherwise.
 */
export class CliError extends KubeiamError {
  readonly messageKey: MessageKey;
  readonly params: MessageParams;
  readonly exitCode: number;

  constructor(messageKey: MessageKey, params: MessageParams = {}, exitCode = 1) {
    super(`CLI_${messageKey.toUpperCase().replace(/\./g, '_')}`, messageKey, { ...params });
    this.name = 'CliError';
    this.messageKey = messageKey;
    this.params = params;
    this.exitCode = exitCode;
  }
}

export function usageError(messageKey: MessageKey, params: MessageParams = {}): CliError {
  return new CliError(messageKey, params, 2);
}
