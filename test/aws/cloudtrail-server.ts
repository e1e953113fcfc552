/**
 * Test-only CloudTrail server: LookupEvents over the JSON 1.1 protocol, on 127.0.0.1. moto has no
 * LookupEvents, so this serves the response shape of the CloudTrail API reference: each event
 * carries the full record as a JSON string in `CloudTrailEvent`, `EventTime` is epoch seconds, and
 * pages chain through `NextToken`. It filters by the EventName lookup attribute and the time window,
 * newest first, like CloudTrail event history. Not shipped; only tests import it.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * `X-Amz-Target` of LookupEvents. botocore (the AWS CLI) sends the long form from its service model;
 * the AWS SDK for JavaScript v3 sends the short form. Both SDKs work against CloudTrail, so it accepts both.
 */
export const LOOKUP_EVENTS_TARGETS = [
  'com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents',
  'CloudTrail_20131101.LookupEvents',
] as const;
export const JSON_11 = 'application/x-amz-json-1.1';

/** A CloudTrail record as in a log file (`eventTime` ISO 8601). */
export type TrailRecordFixture = Record<string, unknown> & { eventTime: string; eventName: string; eventSource: string };

export interface LookupRequest {
  readonly target: string;
  readonly contentType: string;
  /** The `Credential=` scope of the Authorization header: `<key>/<date>/<region>/<service>/aws4_request`. */
  readonly credentialScope: string;
  readonly body: Record<string, unknown>;
}

export interface CloudTrailServer {
  readonly url: string;
  readonly requests: LookupRequest[];
  /** Events per page, at most the request's MaxResults. */
  pageSize: number;
  /** Delay before each response, in milliseconds, to test progress output. Default: 0. */
  delayMs: number;
  records: TrailRecordFixture[];
  close(): Promise<void>;
}

export async function startCloudTrailServer(records: TrailRecordFixture[] = [], pageSize = 50): Promise<CloudTrailServer> {
  const state = { records, pageSize, delayMs: 0, requests: [] as LookupRequest[] };
  const server = createServer((request, response) => {
    void handle(request, response, state);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: state.requests,
    get pageSize() {
      return state.pageSize;
    },
    set pageSize(value: number) {
      state.pageSize = value;
    },
    get delayMs() {
      return state.delayMs;
    },
    set delayMs(value: number) {
      state.delayMs = value;
    },
    get records() {
      return state.records;
    },
    set records(value: TrailRecordFixture[]) {
      state.records = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

interface State {
  records: TrailRecordFixture[];
  pageSize: number;
  delayMs: number;
  readonly requests: LookupRequest[];
}

async function handle(request: IncomingMessage, response: ServerResponse, state: State): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const target = String(request.headers['x-amz-target'] ?? '');
  const contentType = String(request.headers['content-type'] ?? '');
  const credentialScope = /Credential=([^,]+)/.exec(String(request.headers.authorization ?? ''))?.[1] ?? '';

  if (request.method !== 'POST' || request.url !== '/') return fail(response, 404, 'UnknownOperationException', 'POST / only');
  if (!(LOOKUP_EVENTS_TARGETS as readonly string[]).includes(target)) return fail(response, 400, 'UnknownOperationException', `unknown target ${target}`);
  if (!contentType.startsWith(JSON_11)) return fail(response, 400, 'SerializationException', `content type ${contentType}`);
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
  } catch {
    return fail(response, 400, 'SerializationException', 'invalid JSON body');
  }
  state.requests.push({ target, contentType, credentialScope, body });
  if (state.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, state.delayMs));
  lookupEvents(body, response, state);
}

function lookupEvents(body: Record<string, unknown>, response: ServerResponse, state: State): void {
  const start = typeof body.StartTime === 'number' ? body.StartTime * 1000 : -Infinity;
  const end = typeof body.EndTime === 'number' ? body.EndTime * 1000 : Infinity;
  const attributes = Array.isArray(body.LookupAttributes) ? body.LookupAttributes as { AttributeKey?: string; AttributeValue?: string }[] : [];
  const eventName = attributes.find((attribute) => attribute.AttributeKey === 'EventName')?.AttributeValue;
  const matching = state.records
    .filter((record) => eventName === undefined || record.eventName === eventName)
    .filter((record) => Date.parse(record.eventTime) >= start && Date.parse(record.eventTime) <= end)
    .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));

  const offset = typeof body.NextToken === 'string' ? decodeToken(body.NextToken) : 0;
  if (offset === undefined) return fail(response, 400, 'InvalidNextTokenException', 'invalid NextToken');
  const size = Math.min(state.pageSize, typeof body.MaxResults === 'number' ? body.MaxResults : 50);
  const page = matching.slice(offset, offset + size);
  const next = offset + size < matching.length ? encodeToken(offset + size) : undefined;
  send(response, 200, { Events: page.map(toEvent), ...(next === undefined ? {} : { NextToken: next }) });
}

function toEvent(record: TrailRecordFixture): Record<string, unknown> {
  const identity = (record.userIdentity ?? {}) as Record<string, unknown>;
  return {
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: 'false',
    AccessKeyId: identity.accessKeyId,
    EventTime: Date.parse(record.eventTime) / 1000,
    EventSource: record.eventSource,
    Username: identity.userName ?? identity.principalId,
    Resources: [{ ResourceType: 'AWS::EKS::Cluster', ResourceName: 'cluster' }],
    CloudTrailEvent: JSON.stringify(record),
  };
}

function encodeToken(offset: number): string {
  return Buffer.from(`page:${offset}`).toString('base64');
}

function decodeToken(token: string): number | undefined {
  const match = /^page:(\d+)$/.exec(Buffer.from(token, 'base64').toString('utf8'));
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

function fail(response: ServerResponse, status: number, type: string, message: string): void {
  send(response, status, { __type: type, message });
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': JSON_11, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': 'test-request' });
  response.end(text);
}
