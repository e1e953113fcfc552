export {
  ArnError,
  canonicalize,
  parseArn,
  parsePrincipal,
  roleHasPath,
  splitN,
  stripPath,
  type Arn,
  type ArnErrorCode,
  type Principal,
  type PrincipalType,
} from './arn.js';
export type { Identity } from './identity.js';
export {
  PARTITION_IDS,
  PARTITIONS,
  getPartition,
  isPartitionId,
  partitionForRegion,
  type Partition,
  type PartitionId,
} from './partitions.js';
