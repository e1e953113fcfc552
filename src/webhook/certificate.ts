import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { isIPv4, isIPv6 } from 'node:net';
import * as der from './der.js';
import { WebhookConfigError } from './errors.js';

export interface SelfSignedCertificateOptions {
  /** Subject and issuer common name. Default: `kubeiam`. */
  readonly commonName?: string;
  /** DNS subject alternative names. Default: `['localhost']`. */
  readonly dnsNames?: readonly string[];
  /** IPv4 or IPv6 subject alternative names. Default: `['127.0.0.1', '::1']`. */
  readonly ipAddresses?: readonly string[];
  /** Days from now until the certificate expires. Default: 365. */
  readonly validityDays?: number;
  /** `ec` is ECDSA P-256, `rsa` is RSA-2048 (what aws-iam-authenticator generates). Default: `ec`. */
  readonly keyType?: 'ec' | 'rsa';
  /** Current time. Default: `new Date()`. */
  readonly now?: Date;
  /** Private key PEM: `pkcs8` (`PRIVATE KEY`) or, for RSA, `pkcs1` (`RSA PRIVATE KEY`, as aws-iam-authenticator writes). Default: `pkcs8`. */
  readonly keyFormat?: 'pkcs8' | 'pkcs1';
}

/** A PEM certificate and its PEM private key. */
export interface CertificateAndKey {
  readonly cert: string;
  readonly key: string;
}

const OID = {
  commonName: '2.5.4.3',
  sha256WithRsa: '1.2.840.113549.1.1.11',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  extendedKeyUsage: '2.5.29.37',
  serverAuth: '1.3.6.1.5.5.7.3.1',
} as const;

const KEY_USAGE_BIT = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** The certificate starts this much before `now`, so a peer whose clock runs behind accepts it. */
const BACKDATE_MS = 5 * 60 * 1000;

/**
 * Generates a self-signed X.509 v3 server certificate that is also its own CA, so a kubeconfig can
 * name it as `certificate-authority-data`. It has basicConstraints CA, keyUsage digitalSignature and
 * keyCertSign (plus keyEncipherment for RSA), extKeyUsage serverAuth and the given SANs. The serial
 * number is 127 random bits, and the signature is SHA-256.
 */
export function generateSelfSignedCertificate(options: SelfSignedCertificateOptions = {}): CertificateAndKey {
  const keyType = options.keyType ?? 'ec';
  const { privateKey, publicKey } =
    keyType === 'rsa'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'P-256' });

  const tbs = tbsCertificate(options, keyType, publicKey);
  const signature = sign('sha256', tbs, privateKey);
  const certificate = der.sequence(tbs, signatureAlgorithm(keyType), der.bitString(signature));

  return {
    cert: toPem('CERTIFICATE', certificate),
    key: privateKey.export({ type: options.keyFormat === 'pkcs1' && keyType === 'rsa' ? 'pkcs1' : 'pkcs8', format: 'pem' }).toString(),
  };
}

function tbsCertificate(options: SelfSignedCertificateOptions, keyType: 'ec' | 'rsa', publicKey: KeyObject): Buffer {
  const now = options.now ?? new Date();
  const notBefore = new Date(now.getTime() - BACKDATE_MS);
  const notAfter = new Date(now.getTime() + (options.validityDays ?? 365) * DAY_MS);
  const name = distinguishedName(options.commonName ?? 'kubeiam');
  const spki = publicKey.export({ type: 'spki', format: 'der' });

  // Clearing the top bit keeps the 127-bit random serial positive.
  const serial = randomBytes(16);
  serial[0] = (serial[0] as number) & 0x7f;

  return der.sequence(
    der.explicit(0, der.smallInteger(2)),
    der.unsignedInteger(serial),
    signatureAlgorithm(keyType),
    name,
    der.sequence(der.time(notBefore), der.time(notAfter)),
    name,
    spki,
    der.explicit(3, der.sequence(...extensions(options, keyType, spki))),
  );
}

function extensions(options: SelfSignedCertificateOptions, keyType: 'ec' | 'rsa', spki: Buffer): Buffer[] {
  const usage: number[] = [KEY_USAGE_BIT.digitalSignature, KEY_USAGE_BIT.keyCertSign];
  if (keyType === 'rsa') {
    usage.push(KEY_USAGE_BIT.keyEncipherment);
  }

  // RFC 5280 forbids an empty subjectAltName, so a certificate without names has none.
  const names = subjectAltNames(options);
  return [
    extension(OID.basicConstraints, true, der.sequence(der.boolean(true))),
    extension(OID.keyUsage, true, der.namedBits(usage)),
    extension(OID.extendedKeyUsage, false, der.sequence(der.objectIdentifier(OID.serverAuth))),
    ...(names.length === 0 ? [] : [extension(OID.subjectAltName, false, der.sequence(...names))]),
    extension(OID.subjectKeyIdentifier, false, der.octetString(subjectKeyIdentifier(spki))),
  ];
}

function extension(oid: string, critical: boolean, value: Buffer): Buffer {
  const criticalFlag = critical ? [der.boolean(true)] : [];
  return der.sequence(der.objectIdentifier(oid), ...criticalFlag, der.octetString(value));
}

/** GeneralNames: dNSName is `[2] IA5String`, iPAddress is `[7] OCTET STRING` (4 or 16 bytes). */
function subjectAltNames(options: SelfSignedCertificateOptions): Buffer[] {
  const dnsNames = options.dnsNames ?? ['localhost'];
  const ipAddresses = options.ipAddresses ?? ['127.0.0.1', '::1'];
  const names: Buffer[] = [];

  for (const dnsName of dnsNames) {
    if (!/^[\x21-\x7e]+$/.test(dnsName)) {
      throw new WebhookConfigError('TLS_INVALID', `invalid DNS name "${dnsName}" for the certificate: use ASCII (punycode for IDNs)`);
    }
    names.push(der.implicitPrimitive(2, Buffer.from(dnsName, 'ascii')));
  }
  for (const address of ipAddresses) {
    names.push(der.implicitPrimitive(7, ipAddressBytes(address)));
  }
  return names;
}

/** RFC 5280 method 1: SHA-1 of the subjectPublicKey bits (the BIT STRING without its unused-bits byte). */
function subjectKeyIdentifier(spki: Buffer): Buffer {
  const outer = der.readElement(spki, 0);
  const algorithm = der.readElement(spki, outer.contentStart);
  const key = der.readElement(spki, algorithm.end);
  return createHash('sha1').update(spki.subarray(key.contentStart + 1, key.end)).digest();
}

function distinguishedName(commonName: string): Buffer {
  return der.sequence(der.set(der.sequence(der.objectIdentifier(OID.commonName), der.utf8String(commonName))));
}

function signatureAlgorithm(keyType: 'ec' | 'rsa'): Buffer {
  if (keyType === 'rsa') {
    return der.sequence(der.objectIdentifier(OID.sha256WithRsa), der.nullValue());
  }
  return der.sequence(der.objectIdentifier(OID.ecdsaWithSha256));
}

function toPem(label: string, content: Buffer): string {
  const lines = content.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** Converts an IPv4 or IPv6 address (with `::` and an optional dotted IPv4 tail) to its bytes. */
export function ipAddressBytes(address: string): Buffer {
  if (isIPv4(address)) {
    return Buffer.from(address.split('.').map(Number));
  }
  if (!isIPv6(address) || address.includes('%')) {
    throw new WebhookConfigError('TLS_INVALID', `invalid IP address "${address}" for the certificate`);
  }

  const [head = '', tail] = address.split('::') as [string, string | undefined];
  const headGroups = ipv6Groups(head);
  const tailGroups = tail === undefined ? [] : ipv6Groups(tail);
  const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
  const groups = tail === undefined ? headGroups : [...headGroups, ...zeros, ...tailGroups];

  const bytes = Buffer.alloc(16);
  groups.forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}

/** Splits colon-separated IPv6 groups; a dotted IPv4 part counts as two groups. */
function ipv6Groups(text: string): number[] {
  if (text === '') {
    return [];
  }
  return text.split(':').flatMap((part) => {
    if (part.includes('.')) {
      const [a = 0, b = 0, c = 0, d = 0] = part.split('.').map(Number);
      return [a * 256 + b, c * 256 + d];
    }
    return [Number.parseInt(part, 16)];
  });
}
