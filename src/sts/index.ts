export { buildIdentity, type TokenOrigin } from './identity.js';
export { parseGetCallerIdentityResponse, type CallerIdentity } from './response.js';
export {
  createHttpsTransport,
  parseOverride,
  type HttpsTransportOptions,
  type StsRequest,
  type StsResponse,
  type StsTransport,
} from './transport.js';
