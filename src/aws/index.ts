export {
  clientConfig,
  explicitRegion,
  regionFromProfile,
  serviceEndpoint,
  type AwsService,
  type AwsTarget,
  type ClientConfig,
} from './config.js';
export {
  lookupCreateCluster,
  type CreateClusterLookup,
  type CreateClusterSearch,
  type SearchProgress,
} from './cloudtrail.js';
export { describeCluster, type EksCluster } from './eks.js';
export { awsError, callFailed, type AwsErrorCode } from './errors.js';
export {
  lookupPrincipal,
  type LookupOptions,
  type PrincipalLookup,
  type PrincipalStatus,
  type PrincipalWarning,
  type PrincipalWarningCode,
} from './iam.js';
export { EXEC_API_VERSION, execConfig, mergeKubeconfig, type KubeconfigEntry, type MergeResult } from './kubeconfig.js';
export {
  CREATE_CLUSTER_EVENT,
  EKS_EVENT_SOURCE,
  EVENT_HISTORY_DAYS,
  creatorFromRecord,
  isCreateClusterOf,
  newestRecord,
  parseTrailRecord,
  type ClusterCreator,
  type TrailRecord,
  type UserIdentity,
} from './trail.js';
export { createAwsTarget, profileOf, type TargetOptions } from './target.js';
export {
  searchTrailFiles,
  type TrailFileLookup,
  type TrailFileProblem,
  type TrailFileSearch,
} from './trail-files.js';
