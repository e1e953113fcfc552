export {
  BACKEND_MODES,
  DEFAULT_BACKEND_MODES,
  DEPRECATED_BACKEND_MODES,
  splitBackendModes,
  validateBackendModes,
  type BackendMode,
  type BackendModeResult,
} from './backendmode.js';
export {
  CLUSTER_ID_ENV,
  loadServerConfig,
  parseConfigFile,
  SERVER_DEFAULTS,
  type ServerConfig,
  type ServerConfigFlags,
  type ServerConfigInput,
} from './config.js';
export { ServerConfigError, type ServerConfigErrorCode } from './errors.js';
export { lookupKey, type ConfigTree } from './keys.js';
