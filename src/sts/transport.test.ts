import { describe, expect, it } from 'vitest';
import { parseOverride } from './transport.js';

describe('parseOverride', () => {
  it.each([
    ['http://127.0.0.1:4566', { protocol: 'http:', hostname: '127.0.0.1', port: 4566 }],
    ['https://localhost:8443', { protocol: 'https:', hostname: 'localhost', port: 8443 }],
    ['http://[::1]:1', { protocol: 'http:', hostname: '::1', port: 1 }],
    ['http://127.255.0.1', { protocol: 'http:', hostname: '127.255.0.1', port: 80 }],
    ['https://127.0.0.1/', { protocol: 'https:', hostname: '127.0.0.1', port: 443 }],
  ])('accepts %s', (text, target) => {
    expect(parseOverride(text)).toEqual(target);
  });

  it.each([
    ['10.0.0.1', 'it is not a URL'],
    ['http://10.0.0.1:4566', 'the host must be a loopback address'],
    ['http://128.0.0.1', 'the host must be a loopback address'],
    ['http://[::2]', 'the host must be a loopback address'],
    ['http://localhost.example.com', 'the host must be a loopback address'],
    ['https://sts.amazonaws.com', 'the host must be a loopback address'],
    ['ftp://127.0.0.1', 'the scheme must be http or https'],
    ['http://127.0.0.1/sts', 'only scheme, host and port are allowed'],
    ['http://user@127.0.0.1', 'only scheme, host and port are allowed'],
    ['http://127.0.0.1/?a=b', 'only scheme, host and port are allowed'],
  ])('rejects %s', (text, reason) => {
    expect(() => parseOverride(text)).toThrow(reason);
  });
});
