import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApiServer, type TestApiServer } from './server.js';

interface Reply {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

const MAPPINGS = '/apis/iamauthenticator.k8s.aws/v1alpha1/iamidentitymappings';
const ALICE = `${MAPPINGS}/alice`;
const SPEC = { arn: 'arn:aws:iam::111122223333:user/Alice', username: 'alice', groups: ['viewers'] };

describe('test API server IAMIdentityMappings', () => {
  let server: TestApiServer;

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Reply> =>
    new Promise((resolve, reject) => {
      const outgoing = request(new URL(path, server.url), { method, ca: server.caCert, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text, body: parse(text) }));
      });
      outgoing.on('error', reject);
      outgoing.end(body === undefined ? undefined : JSON.stringify(body));
    });

  const waitForWatch = async (before: number): Promise<void> => {
    for (let attempt = 0; attempt < 250 && server.openWatches() === before; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  beforeAll(async () => {
    server = await startTestApiServer({ now: () => new Date('2026-12-04T20:00:00.123Z') });
  });

  afterAll(async () => {
    await server.close();
  });

  it('create drops status', async () => {
    const reply = await call('POST', MAPPINGS, { apiVersion: 'iamauthenticator.k8s.aws/v1alpha1', kind: 'IAMIdentityMapping', metadata: { name: 'alice' }, spec: SPEC, status: { canonicalARN: 'forged' } });
    expect(reply.status).toBe(201);
    expect(reply.body['status']).toBeUndefined();
    expect(reply.body['metadata']).toMatchObject({ name: 'alice', generation: 1, creationTimestamp: '2026-12-04T20:00:00Z' });
  });

  it('create existing is AlreadyExists', async () => {
    const reply = await call('POST', MAPPINGS, { metadata: { name: 'alice' }, spec: SPEC });
    expect(reply.status).toBe(409);
    expect(reply.body['reason']).toBe('AlreadyExists');
  });

  it('create with wrong spec type is Invalid', async () => {
    const reply = await call('POST', MAPPINGS, { metadata: { name: 'bad' }, spec: { ...SPEC, groups: 'viewers' } });
    expect(reply.status).toBe(422);
    expect(reply.body['message']).toContain('spec.groups in body must be of type array of strings');
  });

  it('status subresource writes status only', async () => {
    const current = (await call('GET', ALICE)).body;
    const reply = await call('PUT', `${ALICE}/status`, { ...current, spec: { ...SPEC, username: 'ignored' }, status: { canonicalARN: 'arn:aws:iam::111122223333:user/alice' } });
    expect(reply.status).toBe(200);
    expect(reply.body['status']).toEqual({ canonicalARN: 'arn:aws:iam::111122223333:user/alice' });
    expect((reply.body['spec'] as { username: string }).username).toBe('alice');
  });

  it('update keeps status and bumps generation', async () => {
    const current = (await call('GET', ALICE)).body;
    const reply = await call('PUT', ALICE, { ...current, spec: { ...SPEC, username: 'alice-2' }, status: {} });
    expect(reply.status).toBe(200);
    expect(reply.body['status']).toEqual({ canonicalARN: 'arn:aws:iam::111122223333:user/alice' });
    expect((reply.body['metadata'] as { generation: number }).generation).toBe(2);
  });

  it('status write with old resourceVersion is Conflict', async () => {
    const current = (await call('GET', ALICE)).body as { metadata: { resourceVersion: string } };
    const stale = { ...current, metadata: { ...current.metadata, resourceVersion: String(Number(current.metadata.resourceVersion) - 1) }, status: { canonicalARN: 'x' } };
    const reply = await call('PUT', `${ALICE}/status`, stale);
    expect(reply.status).toBe(409);
    expect(server.conflicts()).toBe(1);
  });

  it('merge patch changes the spec', async () => {
    const reply = await call('PATCH', ALICE, { spec: { groups: ['editors'] } }, { 'content-type': 'application/merge-patch+json' });
    expect(reply.status).toBe(200);
    expect(reply.body['spec']).toMatchObject({ groups: ['editors'] });
  });

  it('list returns items and resourceVersion', async () => {
    const reply = await call('GET', MAPPINGS);
    expect(reply.body['kind']).toBe('IAMIdentityMappingList');
    expect((reply.body['items'] as unknown[]).length).toBe(1);
    expect((reply.body['metadata'] as { resourceVersion: string }).resourceVersion).toBe(String(server.mappings.resourceVersion));
  });

  it('watch replays from resourceVersion', async () => {
    const since = server.mappings.resourceVersion;
    await call('POST', MAPPINGS, { metadata: { name: 'bob' }, spec: SPEC });
    const watching = call('GET', `${MAPPINGS}?watch=1&resourceVersion=${since}`);
    await waitForWatch(0);
    await call('DELETE', `${MAPPINGS}/bob`);
    server.dropWatches();
    const events = (await watching).text.split('\n').filter((line) => line !== '').map((line) => (JSON.parse(line) as { type: string }).type);
    expect(events).toEqual(['ADDED', 'DELETED']);
  });

  it('watch compacted resourceVersion is ERROR 410', async () => {
    const before = server.mappings.resourceVersion;
    await call('PATCH', ALICE, { spec: { username: 'alice-3' } }, { 'content-type': 'application/merge-patch+json' });
    server.mappings.compact();
    const reply = await call('GET', `${MAPPINGS}?watch=1&resourceVersion=${before}`);
    const event = JSON.parse(reply.text.trim()) as { type: string; object: { code: number } };
    expect(event.type).toBe('ERROR');
    expect(event.object.code).toBe(410);
  });

  it('watch failure on purpose is 500', async () => {
    server.failWatches(1);
    const reply = await call('GET', `${MAPPINGS}?watch=1`);
    expect(reply.status).toBe(500);
  });

  it('events are stored', async () => {
    const reply = await call('POST', '/api/v1/namespaces/default/events', { metadata: { name: 'alice.1' }, reason: 'Synced', involvedObject: { name: 'alice' } });
    expect(reply.status).toBe(201);
    expect(server.events.list('default').map((event) => event.reason)).toEqual(['Synced']);
  });

  it('OpenAPI v3 offers fieldValidation', async () => {
    const root = (await call('GET', '/openapi/v3')).body as { paths: Record<string, { serverRelativeURL: string }> };
    const url = root.paths['apis/iamauthenticator.k8s.aws/v1alpha1']?.serverRelativeURL ?? '';
    const document = (await call('GET', url)).body as { paths: Record<string, { patch?: { parameters: { name: string }[] } }> };
    const patch = document.paths[`${MAPPINGS}/{name}`]?.patch;
    expect(patch?.parameters.map((parameter) => parameter.name)).toEqual(['fieldValidation']);
  });

  it('discovery lists the group', async () => {
    const groups = (await call('GET', '/apis')).body as { groups: { name: string }[] };
    const resources = (await call('GET', '/apis/iamauthenticator.k8s.aws/v1alpha1')).body as { resources: { name: string; namespaced: boolean }[] };
    expect(groups.groups.map((group) => group.name)).toEqual(['iamauthenticator.k8s.aws']);
    expect(resources.resources.map((resource) => resource.name)).toEqual(['iamidentitymappings', 'iamidentitymappings/status']);
    expect(resources.resources[0]?.namespaced).toBe(false);
  });
});

function parse(text: string): Record<string, unknown> {
  try {
    return text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    return {};
  }
}
