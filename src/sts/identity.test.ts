import { describe, expect, it } from 'vitest';
import { TokenError } from '../token/errors.js';
import { buildIdentity } from './identity.js';

const origin = { accessKeyId: 'AKIAVVVVVVVVVVVAGAVA', stsEndpoint: 'sts.amazonaws.com' };

describe('buildIdentity', () => {
  // aws-iam-authenticator's TestGetIdentityFromSTSResponse and the session tests.
  it.each([
    ['root', 'arn:aws:iam::123456789012:root', '123456789012', 'arn:aws:iam::123456789012:root', '123456789012', ''],
    ['user', 'arn:aws:iam::123456789012:user/Alice', 'AIDAIYCCCMMMMMMMMGGDA', 'arn:aws:iam::123456789012:user/Alice', 'AIDAIYCCCMMMMMMMMGGDA', ''],
    [
      'federated',
      'arn:aws:sts::123456789012:federated-user/Alice',
      '123456789012:Alice',
      'arn:aws:sts::123456789012:federated-user/Alice',
      '123456789012:Alice',
      '',
    ],
    ['role session', 'arn:aws:iam::123456789012:role/Alice', 'Alice:session-name', 'arn:aws:iam::123456789012:role/Alice', 'Alice', 'session-name'],
    [
      'assumed role',
      'arn:aws:sts::123456789012:assumed-role/Alice/extra',
      'Alice:session-name',
      'arn:aws:iam::123456789012:role/Alice',
      'Alice',
      'session-name',
    ],
    ['user with colon', 'arn:aws:iam::123456789012:user/Bob', 'a:b:c', 'arn:aws:iam::123456789012:user/Bob', 'a:b:c', ''],
  ])('builds %s', (_name, arn, userId, canonicalArn, expectedUserId, sessionName) => {
    const identity = buildIdentity({ arn, account: '123456789012', userId }, origin);
    expect(identity).toEqual({
      arn,
      canonicalArn,
      accountId: '123456789012',
      userId: expectedUserId,
      sessionName,
      accessKeyId: 'AKIAVVVVVVVVVVVAGAVA',
      stsEndpoint: 'sts.amazonaws.com',
    });
  });

  it.each([
    ['role without session', 'arn:aws:iam::123456789012:role/Alice', 'AROAZZCCCNNNNNNNNFFFA', 'sts getCallerIdentity failed: malformed UserID "AROAZZCCCNNNNNNNNFFFA"'],
    ['too many colons', 'arn:aws:iam::123456789012:role/Alice', 'not:vailid:userid', 'sts getCallerIdentity failed: malformed UserID "not:vailid:userid"'],
    ['assumed role without session', 'arn:aws:sts::1:assumed-role/R/s', 'AROA', 'sts getCallerIdentity failed: malformed UserID "AROA"'],
    ['invalid ARN', 'arn', '1000', "sts getCallerIdentity failed: arn 'arn' is invalid: 'arn: invalid prefix'"],
    ['empty ARN', '', 'x', "sts getCallerIdentity failed: arn '' is invalid: 'arn: invalid prefix'"],
    ['group ARN', 'arn:aws:iam::1:group/g', 'x', 'sts getCallerIdentity failed: unrecognized resource group/g for service iam'],
  ])('rejects %s', (_name, arn, userId, message) => {
    const build = () => buildIdentity({ arn, account: '1000', userId }, origin);
    expect(build).toThrow(TokenError);
    expect(build).toThrow(message);
  });
});
