/**
 * Wire strings and limits of the `k8s-aws-v1.` token, as aws-iam-authenticator 0.7.18 and the AWS
 * CLI produce and accept them. Names follow the wire field they describe.
 */

/** Prefix of every token; case-sensitive. */
export const TOKEN_PREFIX = 'k8s-aws-v1.';

/** Maximum token size the verifier accepts, prefix included, in UTF-8 bytes. */
export const MAX_TOKEN_BYTES = 4096;

/** STS accepts a presigned GetCallerIdentity request for 15 minutes after its X-Amz-Date. */
export const TOKEN_VALIDITY_MS = 15 * 60 * 1000;

/** The client reports expiry one minute early, so kubectl refreshes before STS would reject. */
export const CLIENT_EXPIRY_MS = TOKEN_VALIDITY_MS - 1 * 60 * 1000;

/**
 * X-Amz-Expires the client signs, in seconds. STS ignores it; 60 stays because verifiers up to
 * aws-iam-authenticator 0.3.0 accepted only 0…60.
 */
export const X_AMZ_EXPIRES_SECONDS = 60;

/** Largest X-Amz-Expires the verifier accepts, in seconds (15 minutes). */
export const MAX_X_AMZ_EXPIRES_SECONDS = 15 * 60;

/** Header that carries the cluster ID; the client signs it, the verifier sends its own value. */
export const CLUSTER_ID_HEADER = 'x-k8s-aws-id';

export const HOST_HEADER = 'host';

/** Signed headers of a presigned token, in SigV4 order. */
export const SIGNED_HEADERS = `${HOST_HEADER};${CLUSTER_ID_HEADER}`;

export const STS_SERVICE = 'sts';
export const ACTION = 'Action';
export const ACTION_GET_CALLER_IDENTITY = 'GetCallerIdentity';
export const VERSION = 'Version';
export const STS_API_VERSION = '2011-06-15';
export const X_AMZ_SIGNATURE = 'X-Amz-Signature';

/** Layout of X-Amz-Date, in Go's reference-time notation (used in error messages). */
export const X_AMZ_DATE_LAYOUT = '20060102T150405Z';

/** Query keys the verifier allows, lower-cased; any other key rejects the token. */
export const ALLOWED_QUERY_KEYS: ReadonlySet<string> = new Set([
  'action',
  'version',
  'x-amz-algorithm',
  'x-amz-credential',
  'x-amz-date',
  'x-amz-expires',
  'x-amz-security-token',
  'x-amz-signature',
  'x-amz-signedheaders',
]);

/** The only path a presigned GetCallerIdentity URL may have. */
export const TOKEN_URL_PATH = '/';

export const TOKEN_URL_SCHEME = 'https';

/** The global STS host; its region label is `global`. */
export const GLOBAL_STS_HOST = 'sts.amazonaws.com';
export const GLOBAL_STS_REGION_LABEL = 'global';

/** The pseudo-region that selects the global endpoint; it is signed as us-east-1. */
export const AWS_GLOBAL_REGION = 'aws-global';
export const AWS_GLOBAL_SIGNING_REGION = 'us-east-1';

/** Region names as the authenticator accepts them: one DNS label. */
export const REGION_PATTERN = /^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?$/;

/** Whole-request timeout of the STS call, as in aws-iam-authenticator. */
export const STS_TIMEOUT_MS = 10 * 1000;

/**
 * Maximum STS response body read, in bytes. A GetCallerIdentity response is under 1 KiB and STS error
 * bodies are a few KiB, so 1 MiB leaves ample room while bounding memory per request.
 */
export const MAX_STS_RESPONSE_BYTES = 1024 * 1024;

/** Maximum STS body quoted in an error message, in characters; the rest is cut and counted. */
export const MAX_STS_BODY_IN_MESSAGE = 4 * 1024;

/**
 * Maximum number of accepted hosts a verifier remembers. The reference's cache is unbounded, so a
 * stream of distinct valid hosts (`sts.<anything>.amazonaws.com`) could grow it without limit.
 */
export const MAX_HOST_CACHE_ENTRIES = 1024;

export const EXEC_CREDENTIAL_KIND = 'ExecCredential';
export const EXEC_CREDENTIAL_DEFAULT_API_VERSION = 'client.authentication.k8s.io/v1beta1';
