/**
 * Builders for hand-made tokens and a transport that records STS calls instead of connecting
 * anywhere. The hardening tests share them.
 */
import type { StsRequest, StsResponse, StsTransport } from '../../src/sts/index.js';
import { TOKEN_PREFIX } from '../../src/token/index.js';

/** The verifier's clock in every hardening test. */
export const NOW = new Date('2026-01-15T12:00:00.000Z');

/** X-Amz-Date of NOW. */
export const NOW_PARAM = '20260115T120000Z';

export const CLUSTER_ID = 'hardening-cluster';

/** Session token and signature planted in tokens. No error message may contain them. */
export const SESSION_TOKEN = 'FwoGZXIvYXdzEHardeningSessionTokenSecret0123456789abcdefXYZ';
export const SIGNATURE = 'c0ffee5ec2e7516a7a70e1f00dbadc0de0000000000000000000000000000042';

/** The query of a realistic presigned token, as [key, value] pairs already percent-encoded. */
export const VALID_PARAMETERS: ReadonlyArray<readonly [string, string]> = [
  ['Action', 'GetCallerIdentity'],
  ['Version', '2011-06-15'],
  ['X-Amz-Algorithm', 'AWS4-HMAC-SHA256'],
  ['X-Amz-Credential', 'ASIAHARDENINGEXAMPLE%2F20260115%2Fus-east-1%2Fsts%2Faws4_request'],
  ['X-Amz-Date', NOW_PARAM],
  ['X-Amz-Expires', '60'],
  ['X-Amz-Security-Token', SESSION_TOKEN],
  ['X-Amz-SignedHeaders', 'host%3Bx-k8s-aws-id'],
  ['X-Amz-Signature', SIGNATURE],
];

/**
 * Builds a raw query from VALID_PARAMETERS. A string in `changes` replaces the raw value of that
 * key and null drops the key. `extra` is appended as written.
 */
export function queryWith(changes: Readonly<Record<string, string | null>> = {}, extra = ''): string {
  const pairs: string[] = [];
  for (const [key, value] of VALID_PARAMETERS) {
    const change = changes[key];
    if (change === null) continue;
    pairs.push(`${key}=${change ?? value}`);
  }
  return pairs.join('&') + extra;
}

export const VALID_QUERY = queryWith();

export interface UrlParts {
  /** Everything before the host, `https://` by default. */
  readonly start?: string;
  /** Default: sts.amazonaws.com. */
  readonly host?: string;
  /** Default: `/`. */
  readonly path?: string;
  /** Everything after the path, `?` plus VALID_QUERY by default. */
  readonly tail?: string;
}

export function urlOf(parts: UrlParts = {}): string {
  return `${parts.start ?? 'https://'}${parts.host ?? 'sts.amazonaws.com'}${parts.path ?? '/'}${parts.tail ?? `?${VALID_QUERY}`}`;
}

/** Encodes the URL text as UTF-8 and wraps it into a token. */
export function tokenOf(url: string): string {
  return tokenOfBytes(Buffer.from(url, 'utf8'));
}

/** Wraps arbitrary URL bytes (valid UTF-8 or not) into a token. */
export function tokenOfBytes(bytes: Uint8Array): string {
  return TOKEN_PREFIX + Buffer.from(bytes).toString('base64url');
}

/** Returns the base64url body of a token, without the prefix. */
export function bodyOf(token: string): string {
  return token.slice(TOKEN_PREFIX.length);
}

/** A GetCallerIdentity response for an IAM user, as STS sends it. */
export const ALICE_RESPONSE = JSON.stringify({
  GetCallerIdentityResponse: {
    GetCallerIdentityResult: { Account: '123456789012', Arn: 'arn:aws:iam::123456789012:user/Alice', UserId: 'AIDAALICE' },
    ResponseMetadata: { RequestId: 'hardening' },
  },
});

/** A transport that opens no connection. It records each request and replies with a fixed response. */
export class RecordingTransport implements StsTransport {
  readonly calls: StsRequest[] = [];
  readonly #statusCode: number;
  readonly #body: string;

  constructor(statusCode = 200, body = ALICE_RESPONSE) {
    this.#statusCode = statusCode;
    this.#body = body;
  }

  get(request: StsRequest): Promise<StsResponse> {
    this.calls.push(request);
    const body = Buffer.from(this.#body, 'utf8');
    return Promise.resolve({ statusCode: this.#statusCode, readBody: () => Promise.resolve(body) });
  }
}

/** Awaits a verification and returns what it threw, or undefined when it succeeded. */
export async function rejectionOf(verification: Promise<unknown>): Promise<unknown> {
  try {
    await verification;
  } catch (error) {
    return error;
  }
  return undefined;
}
