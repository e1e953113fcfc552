/** Wire names and limits of the STS Query API and of AWS Signature Version 4 as STS applies them. */

export const STS_VERSION = '2011-06-15';
export const STS_XML_NAMESPACE = 'https://sts.amazonaws.com/doc/2011-06-15/';
export const STS_SERVICE = 'sts';

export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';
export const SIGV4_TERMINATOR = 'aws4_request';

export const X_AMZ_ALGORITHM = 'X-Amz-Algorithm';
export const X_AMZ_CREDENTIAL = 'X-Amz-Credential';
export const X_AMZ_DATE = 'X-Amz-Date';
export const X_AMZ_EXPIRES = 'X-Amz-Expires';
export const X_AMZ_SIGNED_HEADERS = 'X-Amz-SignedHeaders';
export const X_AMZ_SIGNATURE = 'X-Amz-Signature';
export const X_AMZ_SECURITY_TOKEN = 'X-Amz-Security-Token';

/** Header names as Node reports them (lower case). */
export const HEADER_AUTHORIZATION = 'authorization';
export const HEADER_X_AMZ_DATE = 'x-amz-date';
export const HEADER_X_AMZ_SECURITY_TOKEN = 'x-amz-security-token';
export const HEADER_HOST = 'host';
export const HEADER_CLUSTER_ID = 'x-k8s-aws-id';

/**
 * How far X-Amz-Date may lie from the server clock, either way. STS applies this fixed window to
 * header-signed and presigned requests alike and ignores X-Amz-Expires for GetCallerIdentity.
 */
export const REQUEST_TIME_WINDOW_MS = 15 * 60 * 1000;

export const MAX_REQUEST_BODY_BYTES = 64 * 1024;

/** Number of most recent requests the server keeps in its request log. */
export const REQUEST_LOG_SIZE = 1000;

/** AssumeRole DurationSeconds limits and default. */
export const MIN_SESSION_DURATION_SECONDS = 15 * 60;
export const MAX_SESSION_DURATION_SECONDS = 12 * 60 * 60;
export const DEFAULT_SESSION_DURATION_SECONDS = 60 * 60;
/** STS caps sessions of a role assumed with role credentials (role chaining) at one hour. */
export const ROLE_CHAINING_MAX_SECONDS = 60 * 60;

/** Characters STS allows in RoleSessionName and ExternalId; the lengths are checked apart. */
export const ROLE_SESSION_NAME_PATTERN = /^[\w+=,.@-]*$/;
export const ROLE_SESSION_NAME_LENGTH = { min: 2, max: 64 } as const;
export const EXTERNAL_ID_PATTERN = /^[\w+=,.@:/-]*$/;
export const EXTERNAL_ID_LENGTH = { min: 2, max: 1224 } as const;
