import { describe, expect, it } from 'vitest';
import { canonicalize, parsePrincipal, roleHasPath, stripPath } from './index.js';

describe('canonicalize', () => {
  it.each([
    ['arn:aws:iam::123456789012:user/Alice', 'arn:aws:iam::123456789012:user/Alice'],
    ['arn:aws:iam::123456789012:role/Users', 'arn:aws:iam::123456789012:role/Users'],
    ['arn:aws:sts::123456789012:assumed-role/Admin/Session', 'arn:aws:iam::123456789012:role/Admin'],
    ['arn:aws:sts::123456789012:federated-user/Bob', 'arn:aws:sts::123456789012:federated-user/Bob'],
    ['arn:aws:iam::123456789012:root', 'arn:aws:iam::123456789012:root'],
    [
      'arn:aws:sts::123456789012:assumed-role/Org/Team/Admin/Session',
      'arn:aws:iam::123456789012:role/Org/Team/Admin',
    ],
    ['arn:aws-iso:iam::123456789012:user/Chris', 'arn:aws-iso:iam::123456789012:user/Chris'],
    ['arn:aws-iso-b:iam::123456789012:user/Chris', 'arn:aws-iso-b:iam::123456789012:user/Chris'],
    ['arn:aws-cn:sts::123456789012:assumed-role/R/s', 'arn:aws-cn:iam::123456789012:role/R'],
    ['arn:aws-eusc:sts::123456789012:assumed-role/R/s', 'arn:aws-eusc:iam::123456789012:role/R'],
  ])('%s', (input, expected) => {
    expect(canonicalize(input)).toBe(expected);
  });

  it.each([
    ['NOT AN ARN', "arn 'NOT AN ARN' is invalid: 'arn: invalid prefix'"],
    ['arn:aws:iam::123', "arn 'arn:aws:iam::123' is invalid: 'arn: not enough sections'"],
    ['arn:aws-xx:iam::1:user/a', "arn 'arn:aws-xx:iam::1:user/a' does not have a recognized partition"],
    ['arn:AWS:iam::1:user/a', "arn 'arn:AWS:iam::1:user/a' does not have a recognized partition"],
    ['arn:aws:sts::1:assumed-role/OnlyRole', "assumed-role arn 'arn:aws:sts::1:assumed-role/OnlyRole' does not have a role"],
    ['arn:aws:sts::1:user/x', 'unrecognized resource user/x for service sts'],
    ['arn:aws:iam::1:group/x', 'unrecognized resource group/x for service iam'],
    ['arn:aws:s3:::bucket', 'service s3 in arn arn:aws:s3:::bucket is not a valid service for identities'],
  ])('rejects %s', (input, message) => {
    expect(() => canonicalize(input)).toThrow(message);
  });
});

describe('parsePrincipal', () => {
  it('keeps the session of an assumed role', () => {
    const principal = parsePrincipal('arn:aws:sts::111122223333:assumed-role/cluster_creator/test');
    expect(principal.type).toBe('ASSUMED_ROLE');
    expect(principal.sessionName).toBe('test');
    expect(principal.accountId).toBe('111122223333');
  });
});

describe('stripPath', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/Org/Team/Admin', 'arn:aws:iam::123456789012:role/Admin'],
    ['arn:aws:iam::123456789012:role/Admin', 'arn:aws:iam::123456789012:role/Admin'],
    ['arn:aws:iam::123456789012:user/Alice', 'arn:aws:iam::123456789012:user/Alice'],
    ['arn:aws:iam::123456789012:user/path/Alice', 'arn:aws:iam::123456789012:user/path/Alice'],
    ['arn:aws:sts::123456789012:federated-user/Bob', 'arn:aws:sts::123456789012:federated-user/Bob'],
  ])('%s', (input, expected) => {
    expect(stripPath(input)).toBe(expected);
  });

  it('rejects a non-ARN', () => {
    expect(() => stripPath('NOT AN ARN')).toThrow('invalid prefix');
  });

  it('detects a role path', () => {
    expect(roleHasPath('arn:aws:iam::1:role/a/b')).toBe(true);
    expect(roleHasPath('arn:aws:iam::1:role/b')).toBe(false);
    expect(roleHasPath('arn:aws:iam::1:user/a/b')).toBe(false);
  });
});
