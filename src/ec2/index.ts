export {
  assumeRoleProvider,
  createEc2DescribeInstances,
  getSourceAccount,
  sourceHeaders,
  type Ec2ClientOptions,
} from './client.js';
export { LruCache } from './lru.js';
export { SYSTEM_CLOCK, TokenBucket, type RateLimitClock } from './rate-limit.js';
export {
  createPrivateDnsResolver,
  Ec2LookupError,
  type DescribeInstances,
  type Ec2LookupErrorCode,
  type InstanceDnsName,
  type PrivateDnsResolver,
  type PrivateDnsResolverOptions,
} from './resolver.js';
