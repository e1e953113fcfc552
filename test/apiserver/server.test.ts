import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './server.js';

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly text: string;
}

const TOKEN = 'apiserver-test-token';
const AWS_AUTH = '/api/v1/namespaces/kube-system/configmaps/aws-auth';
const CONFIGMAPS = '/api/v1/namespaces/kube-system/configmaps';

describe('test API server protocol', () => {
  let server: TestApiServer;

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const url = new URL(path, server.url);
      const outgoing = request(url, {
        method,
        ca: server.caCert,
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', ...headers },
      }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text, body: parseBody(text) }));
      });
      outgoing.on('error', reject);
      outgoing.end(encodeBody(body));
    });

  beforeAll(async () => {
    server = await startTestApiServer({ token: TOKEN, now: () => new Date('2026-12-04T20:00:00.123Z') });
  });

  afterAll(async () => {
    await server.close();
  });

  it('server GET missing is NotFound', async () => {
    const reply = await call('GET', AWS_AUTH);
    expect(reply.status).toBe(404);
    expect(reply.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"configmaps \\"aws-auth\\" not found","reason":"NotFound","details":{"name":"aws-auth","kind":"configmaps"},"code":404}');
  });

  it('server POST creates with server fields', async () => {
    const reply = await call('POST', CONFIGMAPS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'aws-auth' }, data: { mapRoles: '' } });
    const metadata = (reply.body as { metadata: Record<string, unknown> }).metadata;
    expect(reply.status).toBe(201);
    expect(metadata['namespace']).toBe('kube-system');
    expect(metadata['creationTimestamp']).toBe('2026-12-04T20:00:00Z');
    expect(metadata['uid']).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(metadata['resourceVersion'])).toBeGreaterThan(0);
  });

  it('server POST existing is AlreadyExists', async () => {
    const reply = await call('POST', CONFIGMAPS, { metadata: { name: 'aws-auth' } });
    expect(reply.status).toBe(409);
    expect((reply.body as { reason: string }).reason).toBe('AlreadyExists');
  });

  it('server PUT old resourceVersion is Conflict', async () => {
    const current = (await call('GET', AWS_AUTH)).body as { metadata: { resourceVersion: string } };
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: String(Number(current.metadata.resourceVersion) - 1) } };
    const reply = await call('PUT', AWS_AUTH, stale);
    expect(reply.status).toBe(409);
    expect(reply.text).toBe('{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Operation cannot be fulfilled on configmaps \\"aws-auth\\": the object has been modified; please apply your changes to the latest version and try again","reason":"Conflict","details":{"name":"aws-auth","kind":"configmaps"},"code":409}');
  });

  it('server PUT current resourceVersion increments it', async () => {
    const current = (await call('GET', AWS_AUTH)).body as { metadata: { resourceVersion: string; uid: string }; data: Record<string, string> };
    const reply = await call('PUT', AWS_AUTH, { ...current, data: { mapRoles: 'x' } });
    const updated = reply.body as { metadata: { resourceVersion: string; uid: string } };
    expect(reply.status).toBe(200);
    expect(Number(updated.metadata.resourceVersion)).toBeGreaterThan(Number(current.metadata.resourceVersion));
    expect(updated.metadata.uid).toBe(current.metadata.uid);
  });

  it('server PUT number data value is BadRequest', async () => {
    const current = (await call('GET', AWS_AUTH)).body as Record<string, unknown>;
    const reply = await call('PUT', AWS_AUTH, { ...current, data: { mapAccounts: 555555555555 } });
    expect(reply.status).toBe(400);
    expect((reply.body as { message: string }).message).toContain('cannot unmarshal number into Go struct field ConfigMap.data of type string');
  });

  it('server PUT invalid data key is Invalid', async () => {
    const current = (await call('GET', AWS_AUTH)).body as Record<string, unknown>;
    const reply = await call('PUT', AWS_AUTH, { ...current, data: { 'map roles': '' } });
    expect(reply.status).toBe(422);
    expect((reply.body as { reason: string }).reason).toBe('Invalid');
    expect((reply.body as { message: string }).message).toContain('ConfigMap "aws-auth" is invalid: data[map roles]');
  });

  it('server merge patch removes null keys', async () => {
    await call('PATCH', AWS_AUTH, { data: { a: '1', b: '2' } }, { 'content-type': 'application/merge-patch+json' });
    const reply = await call('PATCH', AWS_AUTH, { data: { a: null } }, { 'content-type': 'application/merge-patch+json' });
    expect((reply.body as { data: Record<string, string> }).data).toEqual({ mapRoles: 'x', b: '2' });
  });

  it('server strategic merge patch merges labels', async () => {
    const reply = await call('PATCH', AWS_AUTH, { metadata: { labels: { team: 'platform' } }, $retainKeys: ['data'] }, { 'content-type': 'application/strategic-merge-patch+json' });
    expect((reply.body as { metadata: { labels: Record<string, string> } }).metadata.labels).toEqual({ team: 'platform' });
  });

  it('server JSON patch replaces a value', async () => {
    const reply = await call('PATCH', AWS_AUTH, [{ op: 'replace', path: '/data/b', value: '3' }], { 'content-type': 'application/json-patch+json' });
    expect((reply.body as { data: Record<string, string> }).data['b']).toBe('3');
  });

  it('server patch stale resourceVersion is Conflict', async () => {
    const reply = await call('PATCH', AWS_AUTH, { metadata: { resourceVersion: '1' }, data: { b: '4' } }, { 'content-type': 'application/merge-patch+json' });
    expect(reply.status).toBe(409);
  });

  it('server watch replays from resourceVersion', async () => {
    const list = (await call('GET', `${CONFIGMAPS}?fieldSelector=metadata.name%3Daws-auth`)).body as { items: { metadata: { resourceVersion: string } }[] };
    const firstVersion = Number(list.items[0]?.metadata.resourceVersion) - 3;
    server.dropWatches();
    const watching = call('GET', `${CONFIGMAPS}?watch=1&fieldSelector=metadata.name%3Daws-auth&resourceVersion=${firstVersion}`);
    for (let attempt = 0; attempt < 250 && server.openWatches() === 0; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
    await call('DELETE', AWS_AUTH);
    server.dropWatches();
    const events = (await watching).text.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { type: string }).type);
    expect(events).toEqual(['MODIFIED', 'MODIFIED', 'MODIFIED', 'DELETED']);
  });

  it('server watch compacted resourceVersion is ERROR 410', async () => {
    await call('POST', CONFIGMAPS, { metadata: { name: 'compacted' } });
    const before = server.store.resourceVersion;
    await call('PATCH', '/api/v1/namespaces/kube-system/configmaps/compacted', { data: { a: '1' } }, { 'content-type': 'application/merge-patch+json' });
    server.store.compact();
    const reply = await call('GET', `${CONFIGMAPS}?watch=1&resourceVersion=${before}`);
    const event = JSON.parse(reply.text.trim()) as { type: string; object: { code: number; reason: string } };
    expect(reply.status).toBe(200);
    expect(event.type).toBe('ERROR');
    expect(event.object.code).toBe(410);
    expect(event.object.reason).toBe('Expired');
  });

  it('server watch future resourceVersion is Expired', async () => {
    const reply = await call('GET', `${CONFIGMAPS}?watch=true&resourceVersion=999999`);
    expect(reply.status).toBe(410);
  });

  it('server wrong token is Unauthorized', async () => {
    const reply = await call('GET', AWS_AUTH, undefined, { authorization: 'Bearer wrong' });
    expect(reply.status).toBe(401);
  });

  it('server discovery lists configmaps', async () => {
    const reply = await call('GET', '/api/v1');
    const resources = (reply.body as { resources: { name: string; verbs: string[] }[] }).resources;
    expect(resources.map((resource) => resource.name)).toEqual(['configmaps']);
    expect(resources[0]?.verbs).toContain('watch');
  });
});

/** Parses a JSON body; returns undefined for an empty body or a watch stream (one JSON object per line). */
function parseBody(text: string): unknown {
  try {
    return text === '' ? undefined : JSON.parse(text);
  } catch {
    return undefined;
  }
}

function encodeBody(body: unknown): string | undefined {
  if (body === undefined) return undefined;
  return typeof body === 'string' ? body : JSON.stringify(body);
}
