import { execFileSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { generateSelfSignedCertificate, ipAddressBytes } from './certificate.js';
import * as der from './der.js';

const now = new Date('2026-03-01T12:00:00Z');
const workDir = mkdtempSync(join(tmpdir(), 'kubeiam-cert-'));

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function openssl(args: string[]): string {
  return execFileSync('openssl', args, { encoding: 'utf8' });
}

describe.each(['ec', 'rsa'] as const)('self-signed %s certificate', (keyType) => {
  const pair = generateSelfSignedCertificate({
    keyType,
    commonName: 'kubeiam-test',
    dnsNames: ['localhost', 'webhook.kube-system.svc'],
    ipAddresses: ['127.0.0.1', '2001:db8::1:0'],
    validityDays: 30,
    now,
  });
  const certificate = new X509Certificate(pair.cert);

  it('parses in node', () => {
    expect(certificate.subject).toBe('CN=kubeiam-test');
    expect(certificate.issuer).toBe('CN=kubeiam-test');
    expect(certificate.ca).toBe(true);
  });

  it('has the requested validity', () => {
    expect(new Date(certificate.validFrom).toISOString()).toBe('2026-03-01T11:55:00.000Z');
    expect(new Date(certificate.validTo).toISOString()).toBe('2026-03-31T12:00:00.000Z');
  });

  it('verifies its own signature', () => {
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.checkPrivateKey(createPrivateKey(pair.key))).toBe(true);
  });

  it('carries the SANs', () => {
    expect(certificate.subjectAltName).toBe(
      'DNS:localhost, DNS:webhook.kube-system.svc, IP Address:127.0.0.1, IP Address:2001:DB8:0:0:0:0:1:0',
    );
    expect(certificate.checkHost('webhook.kube-system.svc')).toBe('webhook.kube-system.svc');
    expect(certificate.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(certificate.checkIP('2001:db8::1:0')).toBe('2001:db8::1:0');
  });

  it('is for server authentication', () => {
    expect(certificate.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']);
  });

  it('parses in openssl', () => {
    const path = join(workDir, `${keyType}.pem`);
    writeFileSync(path, pair.cert);
    const text = openssl(['x509', '-in', path, '-noout', '-text']);

    expect(text).toContain('Version: 3 (0x2)');
    expect(text).toMatch(/Basic Constraints: critical\s+CA:TRUE/);
    const usage = keyType === 'rsa' ? 'Digital Signature, Key Encipherment, Certificate Sign' : 'Digital Signature, Certificate Sign';
    expect(text).toMatch(new RegExp(`Key Usage: critical\\s+${usage}`));
    expect(text).toMatch(/Extended Key Usage:\s+TLS Web Server Authentication/);
    expect(text).toContain('Subject Key Identifier');
    expect(text).toContain(keyType === 'rsa' ? 'sha256WithRSAEncryption' : 'ecdsa-with-SHA256');
  });

  it('verifies as its own CA in openssl', () => {
    const path = join(workDir, `${keyType}-verify.pem`);
    writeFileSync(path, pair.cert);
    const output = openssl(['verify', '-attime', String(now.getTime() / 1000 + 60), '-CAfile', path, '-purpose', 'sslserver', path]);
    expect(output.trim()).toBe(`${path}: OK`);
  });
});

describe('certificate in TLS', () => {
  it('serves a verified TLS connection', async () => {
    const pair = generateSelfSignedCertificate();
    const server = tls.createServer({ cert: pair.cert, key: pair.key }, (socket) => socket.end('hello'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    try {
      const received = await new Promise<string>((resolve, reject) => {
        const socket = tls.connect({ host: '127.0.0.1', port, ca: pair.cert, servername: 'localhost' }, () => {
          expect(socket.authorized).toBe(true);
        });
        let data = '';
        socket.on('data', (chunk: Buffer) => (data += chunk.toString()));
        socket.on('end', () => resolve(data));
        socket.on('error', reject);
      });
      expect(received).toBe('hello');
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('serials differ between certificates', () => {
    const first = new X509Certificate(generateSelfSignedCertificate().cert);
    const second = new X509Certificate(generateSelfSignedCertificate().cert);
    expect(first.serialNumber).not.toBe(second.serialNumber);
  });
});

describe('ipAddressBytes', () => {
  it.each([
    ['127.0.0.1', '7f000001'],
    ['::1', '00000000000000000000000000000001'],
    ['::', '00000000000000000000000000000000'],
    ['2001:db8::1:0', '20010db8000000000000000000010000'],
    ['fe80::', 'fe800000000000000000000000000000'],
    ['::ffff:192.0.2.1', '00000000000000000000ffffc0000201'],
    ['1:2:3:4:5:6:7:8', '00010002000300040005000600070008'],
  ])('%s', (address, hex) => {
    expect(ipAddressBytes(address).toString('hex')).toBe(hex);
  });

  it.each([['256.0.0.1'], ['localhost'], ['fe80::1%eth0'], ['1::2::3']])('rejects %s', (address) => {
    expect(() => ipAddressBytes(address)).toThrow(`invalid IP address "${address}"`);
  });
});

describe('DER encoding', () => {
  it.each([
    [[0x00], '020100'],
    [[0x7f], '02017f'],
    [[0x80], '02020080'],
    [[0x00, 0x00, 0x01], '020101'],
  ])('unsigned integer %j', (bytes, hex) => {
    expect(der.unsignedInteger(Buffer.from(bytes)).toString('hex')).toBe(hex);
  });

  it.each([
    ['2.5.29.17', '0603551d11'],
    ['1.2.840.113549.1.1.11', '06092a864886f70d01010b'],
  ])('object identifier %s', (oid, hex) => {
    expect(der.objectIdentifier(oid).toString('hex')).toBe(hex);
  });

  it('long lengths use the long form', () => {
    const encoded = der.octetString(Buffer.alloc(300));
    expect(encoded.subarray(0, 4).toString('hex')).toBe('0482012c');
    expect(der.readElement(encoded, 0)).toEqual({ tag: 0x04, contentStart: 4, end: 304 });
  });

  it('named bits drop trailing zeros', () => {
    expect(der.namedBits([0, 5]).toString('hex')).toBe('03020284');
    expect(der.namedBits([0, 2, 5]).toString('hex')).toBe('030202a4');
  });

  it.each([
    ['2049-12-31T23:59:59Z', '170d3439313233313233353935395a'],
    ['2050-01-01T00:00:00Z', '180f32303530303130313030303030305a'],
  ])('time %s', (iso, hex) => {
    expect(der.time(new Date(iso)).toString('hex')).toBe(hex);
  });
});
