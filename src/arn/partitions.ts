/**
 * AWS partitions as aws-iam-authenticator 0.7.18 and the AWS SDK partition metadata (July 2026) know
 * them. Kept as one table so new regions or suffixes are a data change.
 */
export interface Partition {
  readonly id: PartitionId;
  /** Region names matched by this partition's regular expression. */
  readonly regionRegex: RegExp;
  /** Regions listed explicitly because the regex does not match them. */
  readonly explicitRegions: readonly string[];
  readonly dnsSuffix: string;
  readonly dualStackDnsSuffix: string;
  /** STS domain the authenticator's host check accepts for this partition. */
  readonly stsDomain: string;
  /** Dual-stack STS domain the host check accepts, or '' where the authenticator has none. */
  readonly stsDualStackDomain: string;
}

export const PARTITION_IDS = [
  'aws',
  'aws-cn',
  'aws-us-gov',
  'aws-iso',
  'aws-iso-b',
  'aws-iso-e',
  'aws-iso-f',
  'aws-eusc',
] as const;

export type PartitionId = (typeof PARTITION_IDS)[number];

// Lookup order matters: the SDK checks explicit region lists first, then the regexes in this order.
export const PARTITIONS: readonly Partition[] = [
  {
    id: 'aws',
    regionRegex: /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/,
    explicitRegions: ['aws-global'],
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    stsDomain: 'amazonaws.com',
    stsDualStackDomain: 'api.aws',
  },
  {
    id: 'aws-cn',
    regionRegex: /^cn-\w+-\d+$/,
    explicitRegions: ['aws-cn-global'],
    dnsSuffix: 'amazonaws.com.cn',
    dualStackDnsSuffix: 'api.amazonwebservices.com.cn',
    stsDomain: 'amazonaws.com.cn',
    stsDualStackDomain: 'api.amazonwebservices.com.cn',
  },
  {
    id: 'aws-eusc',
    regionRegex: /^eusc-(de)-\w+-\d+$/,
    explicitRegions: [],
    dnsSuffix: 'amazonaws.eu',
    dualStackDnsSuffix: 'api.amazonwebservices.eu',
    stsDomain: 'amazonaws.eu',
    stsDualStackDomain: 'api.amazonwebservices.eu',
  },
  {
    id: 'aws-iso',
    regionRegex: /^us-iso-\w+-\d+$/,
    explicitRegions: ['aws-iso-global'],
    dnsSuffix: 'c2s.ic.gov',
    dualStackDnsSuffix: 'api.aws.ic.gov',
    stsDomain: 'c2s.ic.gov',
    stsDualStackDomain: '',
  },
  {
    id: 'aws-iso-b',
    regionRegex: /^us-isob-\w+-\d+$/,
    explicitRegions: ['aws-iso-b-global'],
    dnsSuffix: 'sc2s.sgov.gov',
    dualStackDnsSuffix: 'api.aws.scloud',
    stsDomain: 'sc2s.sgov.gov',
    stsDualStackDomain: '',
  },
  {
    id: 'aws-iso-e',
    regionRegex: /^eu-isoe-\w+-\d+$/,
    explicitRegions: ['aws-iso-e-global'],
    dnsSuffix: 'cloud.adc-e.uk',
    dualStackDnsSuffix: 'api.cloud-aws.adc-e.uk',
    stsDomain: 'cloud.adc-e.uk',
    stsDualStackDomain: '',
  },
  {
    id: 'aws-iso-f',
    regionRegex: /^us-isof-\w+-\d+$/,
    explicitRegions: ['aws-iso-f-global'],
    dnsSuffix: 'csp.hci.ic.gov',
    dualStackDnsSuffix: 'api.aws.hci.ic.gov',
    stsDomain: 'csp.hci.ic.gov',
    stsDualStackDomain: '',
  },
  {
    id: 'aws-us-gov',
    regionRegex: /^us-gov-\w+-\d+$/,
    explicitRegions: ['aws-us-gov-global'],
    dnsSuffix: 'amazonaws.com',
    dualStackDnsSuffix: 'api.aws',
    stsDomain: 'amazonaws.com',
    stsDualStackDomain: 'api.aws',
  },
];

export function isPartitionId(value: string): value is PartitionId {
  return (PARTITION_IDS as readonly string[]).includes(value);
}

export function getPartition(id: PartitionId): Partition {
  const partition = PARTITIONS.find((p) => p.id === id);
  if (partition === undefined) throw new Error(`partition table has no entry for ${id}`);
  return partition;
}

/**
 * Finds the partition of a region the way the AWS SDK does: explicit region lists first, then the
 * first matching regex, else the commercial `aws` partition (so unknown regions count as commercial).
 */
export function partitionForRegion(region: string): Partition {
  const explicit = PARTITIONS.find((p) => p.explicitRegions.includes(region));
  if (explicit !== undefined) return explicit;
  const byRegex = PARTITIONS.find((p) => p.regionRegex.test(region));
  return byRegex ?? getPartition('aws');
}
