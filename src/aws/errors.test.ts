import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { callFailed } from './errors.js';

/** Builds an error like the one Node.js raises when a host name does not resolve. */
function dnsError(): Error {
  return Object.assign(new Error('getaddrinfo ENOTFOUND eks.eu-west-1.amazonaws.com'), { code: 'ENOTFOUND', syscall: 'getaddrinfo' });
}

describe('callFailed', () => {
  it('names the operation, target and cause', () => {
    const error = callFailed('eks:DescribeCluster', 'my-cluster', dnsError());
    expect(error.code).toBe('AWS_CALL_FAILED');
    expect(error.message).toMatch(/^eks:DescribeCluster for my-cluster failed: Error: getaddrinfo ENOTFOUND eks\.eu-west-1\.amazonaws\.com; /);
  });

  it('suggests a local endpoint when unreachable', () => {
    expect(callFailed('eks:DescribeCluster', 'my-cluster', dnsError()).message).toContain('could not be reached: check the network and the region, or point AWS_ENDPOINT_URL_<SERVICE>');
  });

  it('suggests the permission for a denied call', () => {
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    expect(callFailed('eks:DescribeCluster', 'my-cluster', denied).message).toMatch(/; the caller needs permission for eks:DescribeCluster$/);
  });

  it('adds no hint for other errors', () => {
    const missing = Object.assign(new Error('No cluster found'), { name: 'ResourceNotFoundException' });
    expect(callFailed('eks:DescribeCluster', 'my-cluster', missing).message).toBe('eks:DescribeCluster for my-cluster failed: ResourceNotFoundException: No cluster found');
  });
});

describe('kubeconfig with an unreachable endpoint', () => {
  it('prints the hint from the SDK error', async () => {
    const { runCli } = await import('../../test/support/cli.js');
    const result = await runCli(['kubeconfig', '--cluster', 'my-cluster', '--region', 'eu-west-1', '--endpoint-url', 'http://127.0.0.1:1', '--kubeconfig', join(tmpdir(), 'kubeiam-unreachable-kubeconfig.yaml'), '--dry-run'], {
      env: { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', AWS_MAX_ATTEMPTS: '1' },
    });

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('ECONNREFUSED');
    expect(result.stderr).toContain('the endpoint could not be reached');
  });
});
