/**
 * Server-side token verification: the pre-STS checks, then the token's presigned GetCallerIdentity
 * replayed to STS with the server's own cluster ID, then the STS response turned into an Identity.
 */
import { isPartitionId, PARTITION_IDS, type Identity } from '../arn/index.js';
import { KubeiamError } from '../errors.js';
import { buildIdentity } from '../sts/identity.js';
import { parseGetCallerIdentityResponse } from '../sts/response.js';
import { createHttpsTransport, type StsResponse, type StsTransport } from '../sts/transport.js';
import { CLUSTER_ID_HEADER, MAX_STS_BODY_IN_MESSAGE, MAX_STS_RESPONSE_BYTES, STS_TIMEOUT_MS } from './constants.js';
import { stsError, stsThrottling } from './errors.js';
import { HostCache } from './hostAllowList.js';
import { parseToken, type ParsedToken } from './parse.js';
import { redactTokenSecrets } from './redact.js';

/** Callbacks for STS metrics. A verification calls each at most once, and only after the host check passed. */
export interface StsHooks {
  /** STS sent a response with any status, and its body was read. */
  onResponse?(info: { readonly statusCode: number; readonly stsRegion: string }): void;
  /** The request failed before a response arrived (connection error or timeout). */
  onConnectionFailure?(stsRegion: string): void;
  /** STS sent a non-200 response with `Throttling` in the body. */
  onThrottled?(stsRegion: string): void;
}

export interface TokenVerifierOptions {
  /** The server's cluster ID, sent in x-k8s-aws-id; STS rejects tokens signed for another. */
  readonly clusterId: string;
  /** The server's partition ID; must be a known partition. */
  readonly partition: string;
  /** The server's own region, for the host fallback. Default: '' (unknown). */
  readonly region?: string;
  readonly clock: () => Date;
  /** Default: Node's https client (see createHttpsTransport). */
  readonly transport?: StsTransport;
  /** Loopback base URL of a local STS to connect to instead; not combinable with `transport`. */
  readonly stsOverride?: string;
  /** Whole STS request limit in milliseconds. Default: 10 000. */
  readonly timeoutMs?: number;
  readonly hooks?: StsHooks;
}

/** A verified token: the caller and the token's X-Amz-Date in epoch ms. */
export interface VerifiedToken {
  readonly identity: Identity;
  readonly signedAtMs: number;
}

export class TokenVerifier {
  readonly hostCache = new HostCache();
  readonly #options: TokenVerifierOptions;
  readonly #transport: StsTransport;

  /** Throws a KubeiamError for an unknown partition or an invalid STS override. */
  constructor(options: TokenVerifierOptions) {
    if (!isPartitionId(options.partition)) {
      throw new KubeiamError(
        'PARTITION_INVALID',
        `partition ${options.partition} not valid: expected one of ${PARTITION_IDS.join(', ')}`,
        { partition: options.partition },
      );
    }
    if (options.transport !== undefined && options.stsOverride !== undefined) {
      throw new KubeiamError('STS_OVERRIDE_INVALID', 'set either an STS transport or an STS override, not both');
    }
    this.#options = options;
    this.#transport = options.transport ?? createHttpsTransport({ override: options.stsOverride });
  }

  /** Verifies a token and returns the caller; throws a TokenError (format, STS or throttling). */
  async verify(token: string): Promise<Identity> {
    return (await this.verifyToken(token)).identity;
  }

  /** Verifies like `verify` and also returns the token's X-Amz-Date, which bounds how long a cache may keep the result. */
  async verifyToken(token: string): Promise<VerifiedToken> {
    const parsed = parseToken(token, {
      partition: this.#options.partition,
      region: this.#options.region ?? '',
      now: this.#options.clock(),
      hostCache: this.hostCache,
    });
    const response = await this.#send(parsed);
    const body = redactTokenSecrets(await readBody(response), parsed.query);
    this.#options.hooks?.onResponse?.({ statusCode: response.statusCode, stsRegion: parsed.stsRegion });

    if (response.statusCode !== 200) throw this.#failure(response.statusCode, body, parsed.stsRegion);
    const caller = parseGetCallerIdentityResponse(body);
    const identity = buildIdentity(caller, { accessKeyId: parsed.accessKeyId, stsEndpoint: parsed.host });
    return { identity, signedAtMs: parsed.date.epochMs };
  }

  async #send(parsed: ParsedToken): Promise<StsResponse> {
    try {
      return await this.#transport.get({
        host: parsed.host,
        target: parsed.requestTarget,
        headers: { [CLUSTER_ID_HEADER]: this.#options.clusterId, accept: 'application/json' },
        timeoutMs: this.#options.timeoutMs ?? STS_TIMEOUT_MS,
      });
    } catch (error) {
      this.#options.hooks?.onConnectionFailure?.(parsed.stsRegion);
      const reason = redactTokenSecrets(errorText(error), parsed.query);
      throw stsError(`error during GET: ${reason} on ${parsed.stsRegion} endpoint`, { host: parsed.host });
    }
  }

  #failure(statusCode: number, body: string, stsRegion: string): Error {
    if (body.includes('Throttling')) {
      this.#options.hooks?.onThrottled?.(stsRegion);
      return stsThrottling(truncate(body), { statusCode });
    }
    // STS reports a token signed for another cluster ID as a bad signature, because x-k8s-aws-id is a
    // signed header. The hint names the cluster ID, since the STS text points at the secret key.
    const hint = body.includes('SignatureDoesNotMatch')
      ? ` (if the credentials are right, the token was probably signed for another cluster ID than ${JSON.stringify(this.#options.clusterId)})`
      : '';
    return stsError(
      `error from AWS (expected 200, got ${statusCode}) on ${stsRegion} endpoint. Body: ${truncate(body)}${hint}`,
      { statusCode },
    );
  }
}

async function readBody(response: StsResponse): Promise<string> {
  try {
    const bytes = await response.readBody(MAX_STS_RESPONSE_BYTES);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  } catch (error) {
    throw stsError(`error reading HTTP result: ${errorText(error)}`);
  }
}

/** Cuts a long STS body for a message; the reference quotes it whole. */
function truncate(body: string): string {
  if (body.length <= MAX_STS_BODY_IN_MESSAGE) return body;
  const cut = body.length - MAX_STS_BODY_IN_MESSAGE;
  return `${body.slice(0, MAX_STS_BODY_IN_MESSAGE)}… (${cut} more characters)`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
