import { KubeiamError } from '../errors.js';

/** Error codes the emulator returns, spelled as STS spells them on the wire. */
export type StsErrorCode =
  | 'AccessDenied'
  | 'ExpiredToken'
  | 'IncompleteSignature'
  | 'InternalFailure'
  | 'InvalidAction'
  | 'InvalidClientTokenId'
  | 'InvalidParameterValue'
  | 'MalformedQueryString'
  | 'MissingAction'
  | 'MissingAuthenticationToken'
  | 'RequestEntityTooLarge'
  | 'ServiceUnavailable'
  | 'SignatureDoesNotMatch'
  | 'Throttling'
  | 'ValidationError';

/** `Sender` blames the request, `Receiver` the service, as in the STS error body. */
export type StsErrorType = 'Sender' | 'Receiver';

/** An STS error response: the wire code, its HTTP status and the message STS sends. */
export class StsError extends KubeiamError {
  declare readonly code: StsErrorCode;
  readonly httpStatus: number;
  readonly type: StsErrorType;

  constructor(code: StsErrorCode, httpStatus: number, message: string, type: StsErrorType = 'Sender') {
    super(code, message);
    this.name = 'StsError';
    this.httpStatus = httpStatus;
    this.type = type;
  }
}

const SIGNATURE_MISMATCH_MESSAGE =
  'The request signature we calculated does not match the signature you provided. ' +
  'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Creates the 403 for a signature, scope, date or signed header that does not match. */
export function signatureDoesNotMatch(message: string = SIGNATURE_MISMATCH_MESSAGE): StsError {
  return new StsError('SignatureDoesNotMatch', 403, message);
}

/** Creates the 403 for an unknown access key or a missing or wrong session token. */
export function invalidClientTokenId(): StsError {
  return new StsError('InvalidClientTokenId', 403, 'The security token included in the request is invalid.');
}

/** Creates the 403 for expired temporary credentials. */
export function expiredToken(): StsError {
  return new StsError('ExpiredToken', 403, 'The security token included in the request is expired');
}

/** Creates the 400 for missing or malformed SigV4 parameters. */
export function incompleteSignature(message: string): StsError {
  return new StsError('IncompleteSignature', 400, message);
}

/** Creates the 403 for a request without any signature. */
export function missingAuthenticationToken(): StsError {
  return new StsError('MissingAuthenticationToken', 403, 'Request is missing Authentication Token');
}

/** Creates the 403 for a caller that may not perform the action on the resource. */
export function accessDenied(callerArn: string, action: string, resourceArn: string): StsError {
  return new StsError(
    'AccessDenied',
    403,
    `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resourceArn}`,
  );
}

/** Creates the 400 for a parameter value the action rejects. */
export function validationError(message: string): StsError {
  return new StsError('ValidationError', 400, message);
}

/** Creates the 400 for parameters that fail their constraints, counted and listed as STS lists them. */
export function constraintErrors(violations: readonly string[]): StsError {
  const noun = violations.length === 1 ? 'error' : 'errors';
  return validationError(`${violations.length} validation ${noun} detected: ${violations.join('; ')}`);
}

/** Creates the 400 for an action this API version does not have. */
export function invalidAction(action: string, version: string): StsError {
  return new StsError('InvalidAction', 400, `Could not find operation ${action} for version ${version}`);
}

/** Creates the 400 for a parameter problem outside any action, such as a repeated name. */
export function invalidParameterValue(message: string): StsError {
  return new StsError('InvalidParameterValue', 400, message);
}

/**
 * Creates the error for a query string or form body with a bad percent escape or a raw non-ASCII
 * byte. The status is 404 because the AWS common-errors list gives that status for MalformedQueryString.
 */
export function malformedQueryString(message: string): StsError {
  return new StsError('MalformedQueryString', 404, message);
}
