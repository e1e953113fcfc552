/**
 * The client side: presigns STS GetCallerIdentity with SigV4 query authentication and wraps the URL
 * into a `k8s-aws-v1.` token, byte-for-byte as aws-iam-authenticator's generator does. kubectl runs
 * this on every command, so the signer is kubeiam's own node:crypto one (see sigv4-presign.ts).
 */
import { KubeiamError } from '../errors.js';
import { encodeRawUrlBase64 } from './base64.js';
import {
  ACTION,
  ACTION_GET_CALLER_IDENTITY,
  CLIENT_EXPIRY_MS,
  CLUSTER_ID_HEADER,
  STS_API_VERSION,
  STS_SERVICE,
  TOKEN_PREFIX,
  VERSION,
  X_AMZ_EXPIRES_SECONDS,
} from './constants.js';
import { isValidRegion, stsEndpointForRegion, type EndpointVariant } from './endpoints.js';
import { presignQuery } from './sigv4-presign.js';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Session token of temporary credentials; it is signed into the URL. */
  readonly sessionToken?: string;
}

export interface PresignOptions extends EndpointVariant {
  readonly credentials: AwsCredentials;
  /** Client region; selects the STS host and the credential scope (`aws-global` signs us-east-1). */
  readonly region: string;
  /** Cluster ID signed in the x-k8s-aws-id header. */
  readonly clusterId: string;
  /** Signing time; sub-seconds are dropped from X-Amz-Date. */
  readonly now: Date;
  /** STS host to presign for. Default: the SDK endpoint of `region` (see stsEndpointForRegion). */
  readonly host?: string;
}

export interface PresignedToken {
  /** The presigned GetCallerIdentity URL (contains the signature; treat as a secret). */
  readonly url: string;
  /** `k8s-aws-v1.` + base64url of the URL. */
  readonly token: string;
  /** When the client should stop using the token: signing time + 14 minutes. */
  readonly expiration: Date;
}

/**
 * Presigns GetCallerIdentity. The query is the SigV4 canonical query (keys in byte order, with
 * X-Amz-Security-Token in its sorted place when present) followed by X-Amz-Signature. The payload
 * hash is that of the empty body, not UNSIGNED-PAYLOAD.
 */
export async function presignGetCallerIdentity(options: PresignOptions): Promise<PresignedToken> {
  validateOptions(options);
  const endpoint = stsEndpointForRegion(options.region, options);
  const host = options.host ?? endpoint.host;
  const query = presignQuery({
    ...options.credentials,
    region: endpoint.signingRegion,
    service: STS_SERVICE,
    host,
    query: { [ACTION]: ACTION_GET_CALLER_IDENTITY, [VERSION]: STS_API_VERSION },
    headers: { [CLUSTER_ID_HEADER]: options.clusterId },
    signingDate: options.now,
    expiresInSeconds: X_AMZ_EXPIRES_SECONDS,
  });
  const url = `https://${host}/?${query}`;
  const token = TOKEN_PREFIX + encodeRawUrlBase64(Buffer.from(url, 'utf8'));
  return { url, token, expiration: new Date(options.now.getTime() + CLIENT_EXPIRY_MS) };
}

function validateOptions(options: PresignOptions): void {
  if (options.clusterId === '') {
    throw new KubeiamError('CLUSTER_ID_REQUIRED', 'cluster ID is required to generate a token');
  }
  if (!isValidRegion(options.region)) {
    throw new KubeiamError('REGION_INVALID', `invalid region "${options.region}": expected a name like us-east-1`, {
      region: options.region,
    });
  }
}
