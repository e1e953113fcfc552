import { KubeiamError } from '../errors.js';

/** A response to send. Bodies are UTF-8 text. */
export interface WebhookResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/**
 * The one HTTP error type of the webhook. Code deep inside throws it with the status and the text
 * sent to the client, and the edge (handler or router) turns it into a response with `toResponse`.
 */
export class HttpError extends KubeiamError {
  declare readonly code: 'HTTP_ERROR';
  readonly status: number;
  /** Extra response headers, e.g. `Connection: close`. */
  readonly headers: Readonly<Record<string, string>>;
  /** Reason of the failure, for the log line only; the client gets just the message. */
  readonly reason: string | undefined;

  constructor(status: number, message: string, headers: Record<string, string> = {}, reason?: string) {
    super('HTTP_ERROR', message, { status });
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
    this.reason = reason;
  }

  /** Writes the error like Go's `http.Error`: plain text, `nosniff`, message plus a newline. */
  toResponse(): WebhookResponse {
    return {
      status: this.status,
      headers: {
        'content-type': 'text/plain; charset=utf-8',
        'x-content-type-options': 'nosniff',
        ...this.headers,
      },
      body: `${this.message}\n`,
    };
  }
}

export type WebhookConfigErrorCode = 'TLS_MISSING' | 'TLS_INVALID' | 'LISTEN_FAILED' | 'AWS_AUTH_FILE_MISSING';

/** Error for options the webhook cannot start with; the message names the option to fix. */
export class WebhookConfigError extends KubeiamError {
  declare readonly code: WebhookConfigErrorCode;

  constructor(code: WebhookConfigErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(code, message, details);
    this.name = 'WebhookConfigError';
  }
}
