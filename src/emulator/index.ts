export { collectParameters, runAction, type ActionContext, type ActionResult } from './actions.js';
export {
  MAX_REQUEST_BODY_BYTES,
  REQUEST_TIME_WINDOW_MS,
  STS_VERSION,
  STS_XML_NAMESPACE,
} from './constants.js';
export { formDecode, parseFormEncoded, sigv4Encode, type ParameterList } from './encoding.js';
export { StsError, type StsErrorCode, type StsErrorType } from './errors.js';
export { renderFault, type EmulatorFaults, type Fault } from './faults.js';
export { handleStsRequest, type HandlerContext, type HandlerOutcome, type StsHttpRequest } from './handler.js';
export { cryptoRandomBytes, randomRequestId, seededRandomBytes, type RandomBytes } from './ids.js';
export {
  IamRegistry,
  RegistryError,
  type AccessKeyPair,
  type AccessKeyRecord,
  type AddSessionInput,
  type CallerIdentity,
  type CreateAccessKeyOptions,
  type CreateRoleInput,
  type CreateUserInput,
  type IamAccount,
  type IamRole,
  type IamUser,
  type IssueSessionInput,
  type RegistryErrorCode,
  type RegistryOptions,
  type RoleSession,
  type TemporaryCredentials,
} from './registry.js';
export { formatIsoSeconds, responseFormat, type RenderedResponse, type ResponseFormat } from './responses.js';
export {
  SeedError,
  loadSeed,
  parseSeed,
  registryFromSeedFile,
  type Seed,
  type SeedAccessKey,
  type SeedAccount,
  type SeedRole,
  type SeedUser,
} from './seed.js';
export {
  isLoopbackHost,
  startStsEmulator,
  type RequestLog,
  type RequestRecord,
  type StsEmulator,
  type StsEmulatorOptions,
} from './server.js';
export {
  canonicalHeaderValue,
  canonicalHeaders,
  canonicalQuery,
  canonicalRequest,
  canonicalUri,
  computeSignature,
  sha256Hex,
  signingKey,
  stringToSign,
  type CanonicalRequestParts,
  type CredentialScope,
} from './sigv4-canonical.js';
export {
  formatAmzDate,
  parseAmzDate,
  verifySigV4,
  type CredentialLookup,
  type SigningCredentials,
  type SigV4Mode,
  type SigV4Request,
  type VerifiedSignature,
  type VerifyOptions,
} from './sigv4.js';
