import { describe, expect, it } from 'vitest';
import { isKubeiamError } from '../errors.js';
import { serviceEndpoint } from './config.js';

describe('serviceEndpoint', () => {
  it.each([
    ['nothing set', {}, undefined, undefined],
    ['service variable', { AWS_ENDPOINT_URL_EKS: 'http://127.0.0.1:1' }, undefined, 'http://127.0.0.1:1'],
    ['global variable', { AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }, undefined, 'http://127.0.0.1:2'],
    ['service before global', { AWS_ENDPOINT_URL_EKS: 'http://127.0.0.1:1', AWS_ENDPOINT_URL: 'http://127.0.0.1:2' }, undefined, 'http://127.0.0.1:1'],
    ['other service ignored', { AWS_ENDPOINT_URL_IAM: 'http://127.0.0.1:3' }, undefined, undefined],
    ['override first', { AWS_ENDPOINT_URL_EKS: 'http://127.0.0.1:1' }, 'http://127.0.0.1:9', 'http://127.0.0.1:9'],
    ['ignore variables', { AWS_ENDPOINT_URL_EKS: 'http://127.0.0.1:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, undefined, undefined],
  ])('serviceEndpoint %s', (_name, env, override, expected) => {
    expect(serviceEndpoint('EKS', env, override)).toBe(expected);
  });

  it.each(['127.0.0.1:4566', 'ftp://127.0.0.1/', 'not a url'])('serviceEndpoint rejects %s', (value) => {
    let error: unknown;
    try {
      serviceEndpoint('EKS', {}, value);
    } catch (caught) {
      error = caught;
    }
    expect(isKubeiamError(error, 'AWS_ENDPOINT_INVALID')).toBe(true);
  });
});
