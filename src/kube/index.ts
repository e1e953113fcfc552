export {
  AWS_AUTH_SOURCE_NAME,
  connectAwsAuth,
  createAwsAuth,
  loadAwsAuthFromCluster,
  readAwsAuth,
  updateAwsAuth,
  type AwsAuthCluster,
  type ClusterAwsAuth,
  type DocumentEdit,
} from './awsauth.js';
export { backupConfigMapName, backupStamp, renderBackup, writeBackupFile } from './backup.js';
export {
  AWS_AUTH_NAME,
  AWS_AUTH_NAMESPACE,
  createConfigMapClient,
  type ConfigMapClient,
  type ConfigMapWrite,
} from './client.js';
export {
  readConfigMapText,
  toDocumentText,
  toLiveConfigMap,
  type ConfigMapContent,
  type LiveConfigMap,
  type StringMap,
} from './configmap.js';
export { isKubeError, KubeError, type KubeErrorCode } from './errors.js';
export { loadKubeConfig, type KubeConfigOptions, type LoadedKubeConfig } from './kubeconfig.js';
export {
  createEksConfigMapSource,
  followAwsAuth,
  type AwsAuthFollower,
  type EksConfigMapSource,
  type EksConfigMapSourceOptions,
  type FollowAwsAuthOptions,
} from './source.js';
export { updateConfigMap, type UpdateOptions, type UpdatePlan, type UpdateResult } from './update.js';
export { watchAwsAuth, type AwsAuthEvent, type AwsAuthWatch, type WatchAwsAuthOptions } from './watch.js';
