import { describe, expect, it } from 'vitest';
import { identityFromArn } from './identity.js';

describe('identityFromArn', () => {
  it('assumed role', () => {
    expect(identityFromArn('arn:aws:sts::111122223333:assumed-role/cluster_creator/test', { userId: 'AROAEXAMPLE' })).toEqual({
      arn: 'arn:aws:sts::111122223333:assumed-role/cluster_creator/test',
      canonicalArn: 'arn:aws:iam::111122223333:role/cluster_creator',
      accountId: '111122223333',
      userId: 'AROAEXAMPLE',
      sessionName: 'test',
      accessKeyId: '',
      stsEndpoint: '',
    });
  });

  it('user has no session', () => {
    const identity = identityFromArn('arn:aws:iam::111122223333:user/designated_user', { accessKeyId: 'AKIAEXAMPLE' });
    expect(identity.sessionName).toBe('');
    expect(identity.accessKeyId).toBe('AKIAEXAMPLE');
  });

  it('rejects a non-principal', () => {
    expect(() => identityFromArn('arn:aws:s3:::bucket')).toThrow('is not a valid service for identities');
  });
});
