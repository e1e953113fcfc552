import { StsError } from './errors.js';
import { renderError, type RenderedResponse, type ResponseFormat } from './responses.js';

/** A response that replaces the real one, to test how clients cope with a failing STS. */
export type Fault =
  | { readonly kind: 'throttling' }
  | { readonly kind: 'server-error'; readonly status?: number }
  | { readonly kind: 'redirect'; readonly location: string; readonly status?: 301 | 302 | 303 | 307 | 308 };

export interface EmulatorFaults {
  /** Wait before each response, in milliseconds. Default: 0. */
  readonly delayMs?: number;
  /** Response to send instead of the real one. Default: none. */
  readonly fault?: Fault;
  /** Number of requests `fault` replaces; later requests are served normally. Default: every request. */
  readonly times?: number;
}

/** A rendered fault; `location` is set for redirects. */
export interface FaultResponse extends RenderedResponse {
  readonly location?: string;
  readonly errorCode: string | undefined;
}

/** Renders a fault the way STS or a front end in its place would send it. */
export function renderFault(fault: Fault, requestId: string, format: ResponseFormat): FaultResponse {
  if (fault.kind === 'redirect') {
    return { status: fault.status ?? 302, contentType: 'text/plain', body: '', location: fault.location, errorCode: undefined };
  }

  const error = faultError(fault);
  return { ...renderError(error, requestId, format), errorCode: error.code };
}

function faultError(fault: Exclude<Fault, { kind: 'redirect' }>): StsError {
  if (fault.kind === 'throttling') return new StsError('Throttling', 400, 'Rate exceeded');

  const status = fault.status ?? 500;
  if (status === 503) return new StsError('ServiceUnavailable', 503, 'Service is unavailable', 'Receiver');
  return new StsError('InternalFailure', status, 'An internal error has occurred', 'Receiver');
}

/** Checks a fault setting, so a typo fails where it is set and not in the test that follows. */
export function validateFaults(faults: EmulatorFaults): void {
  const { delayMs, fault, times } = faults;
  if (delayMs !== undefined && !(Number.isFinite(delayMs) && delayMs >= 0)) {
    throw new RangeError(`faults.delayMs ${delayMs} is invalid: expected a number of milliseconds >= 0`);
  }
  if (times !== undefined && !(Number.isInteger(times) && times >= 0)) {
    throw new RangeError(`faults.times ${times} is invalid: expected an integer >= 0`);
  }
  if (fault?.kind === 'server-error' && fault.status !== undefined && !(fault.status >= 500 && fault.status <= 599)) {
    throw new RangeError(`faults.fault.status ${fault.status} is invalid: expected a 5xx status`);
  }
}
