export { credentialsFromEnv, resolveBaseCredentials } from './chain.js';
export { StsCalls, type AssumeRoleRequest, type CallerIdentity } from './sts.js';
export type { AwsCredentials, Env } from './types.js';
