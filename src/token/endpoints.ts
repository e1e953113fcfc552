/**
 * STS endpoints per region, as the AWS SDK for Go v2 STS resolver (service/sts v1.44.0) picks them
 * with UseGlobalEndpoint off, and the region helpers of aws-iam-authenticator's verifier.
 */
import { getPartition, isPartitionId, partitionForRegion } from '../arn/index.js';
import {
  AWS_GLOBAL_REGION,
  AWS_GLOBAL_SIGNING_REGION,
  GLOBAL_STS_HOST,
  GLOBAL_STS_REGION_LABEL,
  REGION_PATTERN,
  STS_SERVICE,
} from './constants.js';
import { TokenError } from './errors.js';

export interface EndpointVariant {
  /** Use the FIPS endpoint. Default: false. */
  readonly fips?: boolean;
  /** Use the dual-stack (IPv4 and IPv6) endpoint. Default: false. */
  readonly dualStack?: boolean;
}

/** The host to presign for and the region that goes into the credential scope. */
export interface StsEndpoint {
  readonly host: string;
  readonly signingRegion: string;
}

/**
 * Picks the STS endpoint for a client region. GovCloud has no `sts-fips` host: its FIPS endpoint is
 * the regular regional one. `aws-global` selects `sts.amazonaws.com`, signed for us-east-1.
 */
export function stsEndpointForRegion(region: string, variant: EndpointVariant = {}): StsEndpoint {
  const partition = partitionForRegion(region);
  const fips = variant.fips === true;
  const dualStack = variant.dualStack === true;

  if (fips && dualStack) return { host: `sts-fips.${region}.${partition.dualStackDnsSuffix}`, signingRegion: region };
  if (fips && partition.id === 'aws-us-gov') return { host: `sts.${region}.amazonaws.com`, signingRegion: region };
  if (fips) return { host: `sts-fips.${region}.${partition.dnsSuffix}`, signingRegion: region };
  if (dualStack) return { host: `sts.${region}.${partition.dualStackDnsSuffix}`, signingRegion: region };
  if (region === AWS_GLOBAL_REGION) return { host: GLOBAL_STS_HOST, signingRegion: AWS_GLOBAL_SIGNING_REGION };
  return { host: `sts.${region}.${partition.dnsSuffix}`, signingRegion: region };
}

/** Lists the hosts an SDK client in `region` may presign for: every FIPS and dual-stack combination. */
export function candidateStsHosts(region: string): string[] {
  const variants = [
    { fips: true, dualStack: true },
    { fips: true, dualStack: false },
    { fips: false, dualStack: true },
    { fips: false, dualStack: false },
  ];
  return variants.map((variant) => stsEndpointForRegion(region, variant).host);
}

/** Reports whether a region name is one DNS label of letters, digits and inner hyphens. */
export function isValidRegion(region: string): boolean {
  return REGION_PATTERN.test(region);
}

/**
 * Builds `<service>.<region>.<domain>` for the partition's STS domain and for its dual-stack domain,
 * where the authenticator's partition table has one. Throws for an invalid region or an unknown partition.
 */
export function getDefaultHostNamesForRegion(partitionId: string, region: string, service: string): string[] {
  if (!isPartitionId(partitionId)) throw new TokenError('TOKEN_HOST', `partition ${partitionId} not valid`);
  if (!isValidRegion(region)) {
    throw new TokenError('TOKEN_HOST', `invalid region identifier format provided: ${region}`);
  }
  const partition = getPartition(partitionId);
  const domains = [partition.stsDomain, partition.stsDualStackDomain].filter((domain) => domain !== '');
  return domains.map((domain) => `${service}.${region}.${domain}`);
}

/** Returns the STS hosts of the server's own region, used when a host is not a known endpoint. */
export function defaultStsHostsForRegion(partitionId: string, region: string): string[] {
  return getDefaultHostNamesForRegion(partitionId, region, STS_SERVICE);
}

/**
 * Returns the region label of an STS host: `global` for `sts.amazonaws.com`, else the second
 * dot-separated label. Throws for an empty host or one with fewer than three labels.
 */
export function getStsRegion(host: string): string {
  if (host === '') throw new TokenError('TOKEN_HOST', 'host is empty');
  const labels = host.split('.');
  if (labels.length < 3) throw new TokenError('TOKEN_HOST', `invalid host format: ${host}`);
  if (host === GLOBAL_STS_HOST) return GLOBAL_STS_REGION_LABEL;
  return labels[1] ?? '';
}
