/**
 * SigV4 query-string presigning of one GET request, with node:crypto only. It produces what
 * @smithy/signature-v4's presign produces for the same input, and a property test compares the two.
 * kubeiam does not import @smithy/signature-v4 here because its import cost `kubeiam token` about
 * 15 ms at start-up (measured with bench/token-latency.mjs), and kubectl runs the plugin on every command.
 */
import { createHash, createHmac } from 'node:crypto';

export interface PresignInput {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly region: string;
  readonly service: string;
  readonly host: string;
  /** Query parameters besides the X-Amz-* ones that presigning adds. */
  readonly query: Readonly<Record<string, string>>;
  /** Headers to sign besides host, with lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly signingDate: Date;
  readonly expiresInSeconds: number;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** Hex SHA-256 of the empty body: presigned GETs sign it, not UNSIGNED-PAYLOAD. */
const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** Returns the canonical query (sorted, SigV4-encoded) followed by `&X-Amz-Signature=…`. */
export function presignQuery(input: PresignInput): string {
  const amzDate = input.signingDate.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
  const dateStamp = amzDate.slice(0, 8);
  const scope = `${dateStamp}/${input.region}/${input.service}/aws4_request`;
  const headers = { host: input.host, ...input.headers };
  const signedHeaders = Object.keys(headers).sort().join(';');

  const query: Record<string, string> = {
    ...input.query,
    'X-Amz-Algorithm': ALGORITHM,
    'X-Amz-Credential': `${input.accessKeyId}/${scope}`,
    'X-Amz-Date': amzDate,
    'X-Amz-Expires': String(input.expiresInSeconds),
    'X-Amz-SignedHeaders': signedHeaders,
    ...(input.sessionToken ? { 'X-Amz-Security-Token': input.sessionToken } : {}),
  };
  const canonicalQuery = Object.keys(query)
    .sort()
    .map((key) => `${encodeRfc3986(key)}=${encodeRfc3986(query[key] ?? '')}`)
    .join('&');

  const canonicalHeaders = Object.keys(headers)
    .sort()
    .map((name) => `${name}:${(headers[name as keyof typeof headers] ?? '').trim().replace(/\s+/g, ' ')}\n`)
    .join('');
  const canonicalRequest = ['GET', '/', canonicalQuery, canonicalHeaders, signedHeaders, EMPTY_BODY_SHA256].join('\n');
  const stringToSign = [ALGORITHM, amzDate, scope, sha256Hex(canonicalRequest)].join('\n');

  const dateKey = hmac(`AWS4${input.secretAccessKey}`, dateStamp);
  const signingKey = hmac(hmac(hmac(dateKey, input.region), input.service), 'aws4_request');
  const signature = createHmac('sha256', signingKey).update(stringToSign, 'utf8').digest('hex');
  return `${canonicalQuery}&X-Amz-Signature=${signature}`;
}

/** Percent-encodes like SigV4: A-Z a-z 0-9 - _ . ~ stay, every other UTF-8 byte becomes %XX. */
export function encodeRfc3986(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data, 'utf8').digest();
}
