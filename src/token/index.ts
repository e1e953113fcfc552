export { decodeRawUrlBase64, encodeRawUrlBase64, type Base64DecodeResult } from './base64.js';
export {
  ALLOWED_QUERY_KEYS,
  CLIENT_EXPIRY_MS,
  CLUSTER_ID_HEADER,
  EXEC_CREDENTIAL_DEFAULT_API_VERSION,
  MAX_HOST_CACHE_ENTRIES,
  MAX_STS_RESPONSE_BYTES,
  MAX_TOKEN_BYTES,
  MAX_X_AMZ_EXPIRES_SECONDS,
  STS_TIMEOUT_MS,
  TOKEN_PREFIX,
  TOKEN_VALIDITY_MS,
  X_AMZ_EXPIRES_SECONDS,
} from './constants.js';
export {
  candidateStsHosts,
  getDefaultHostNamesForRegion,
  getStsRegion,
  isValidRegion,
  stsEndpointForRegion,
  type EndpointVariant,
  type StsEndpoint,
} from './endpoints.js';
export { formatError, stsError, stsThrottling, TokenError, type TokenErrorCode } from './errors.js';
export { apiVersionFromExecInfo, formatExecCredential, type ExecCredentialOptions } from './execCredential.js';
export { GoQueryError, GoUrlError, parseGoQuery, parseGoUrl, type GoUrl, type QueryParameter } from './goUrl.js';
export { HostCache, verifyStsHost, type HostPolicy } from './hostAllowList.js';
export { parseToken, type ParsedToken, type ParseTokenOptions } from './parse.js';
export {
  presignGetCallerIdentity,
  type AwsCredentials,
  type PresignedToken,
  type PresignOptions,
} from './presign.js';
export { TokenVerifier, type StsHooks, type TokenVerifierOptions, type VerifiedToken } from './verify.js';
