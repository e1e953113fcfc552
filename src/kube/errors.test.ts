import { describe, expect, it } from 'vitest';
import { toKubeError } from './errors.js';

describe('toKubeError', () => {
  it.each([
    [{ code: 409, body: { reason: 'Conflict', message: 'modified' } }, 'KUBE_CONFLICT', 409],
    [{ code: 409, body: '{"reason":"AlreadyExists","message":"exists"}' }, 'KUBE_ALREADY_EXISTS', 409],
    [{ code: 404, body: undefined }, 'KUBE_NOT_FOUND', 404],
    [{ code: 401 }, 'KUBE_UNAUTHORIZED', 401],
    [{ code: 403, body: { message: 'forbidden' } }, 'KUBE_FORBIDDEN', 403],
    [{ code: 422, body: { reason: 'Invalid' } }, 'KUBE_INVALID', 422],
    [{ statusCode: 500 }, 'KUBE_REQUEST_FAILED', 500],
    [new Error('connect ECONNREFUSED 127.0.0.1:1'), 'KUBE_REQUEST_FAILED', undefined],
  ])('toKubeError maps %j', (error, code, status) => {
    const converted = toKubeError(error, 'reading', 'configmap kube-system/aws-auth');
    expect(converted.code).toBe(code);
    expect(converted.status).toBe(status);
    expect(converted.message).toContain('reading configmap kube-system/aws-auth failed');
  });

  it('toKubeError keeps the Status message', () => {
    const converted = toKubeError({ code: 409, body: { reason: 'Conflict', message: 'the object has been modified' } }, 'updating', 'x');
    expect(converted.message).toBe('updating x failed: the object has been modified (HTTP 409 Conflict)');
  });

  it('toKubeError drops response headers', () => {
    const converted = toKubeError({ code: 500, body: {}, headers: { 'set-cookie': 'secret-value' } }, 'reading', 'x');
    expect(converted.message).not.toContain('secret-value');
  });
});
