import { describe, expect, it } from 'vitest';
import { identityFromArn } from '../identity.js';
import { BOOTSTRAP_SOURCE_NAME, createBootstrapSource } from './bootstrap.js';

describe('createBootstrapSource', () => {
  const source = createBootstrapSource(['arn:aws:sts::111122223333:assumed-role/cluster_creator/test']);

  it('maps the creator role from any session', () => {
    expect(source.map(identityFromArn('arn:aws:sts::111122223333:assumed-role/cluster_creator/other'))).toEqual({
      kind: 'bootstrap',
      username: 'arn:aws:iam::111122223333:role/cluster_creator',
      groups: ['system:masters'],
    });
  });

  it('ignores other callers', () => {
    expect(source.map(identityFromArn('arn:aws:iam::111122223333:user/designated_user'))).toBeUndefined();
  });

  it('maps an IAM user creator', () => {
    const user = createBootstrapSource(['arn:aws:iam::111122223333:user/cluster_creator']);
    expect(user.map(identityFromArn('arn:aws:iam::111122223333:user/cluster_creator'))?.username).toBe('arn:aws:iam::111122223333:user/cluster_creator');
  });

  it('matches a creator role given with its path', () => {
    const withPath = createBootstrapSource(['arn:aws:iam::111122223333:role/eks/cluster_creator']);
    const caller = identityFromArn('arn:aws:sts::111122223333:assumed-role/cluster_creator/test');
    expect(withPath.map(caller)?.username).toBe('arn:aws:iam::111122223333:role/cluster_creator');
  });

  it('keeps the path of a user creator', () => {
    const user = createBootstrapSource(['arn:aws:iam::111122223333:user/admins/alice']);
    expect(user.map(identityFromArn('arn:aws:iam::111122223333:user/admins/alice'))).toBeDefined();
  });

  it('allows no account', () => {
    expect(source.isAccountAllowed('111122223333')).toBe(false);
  });

  it('has its name', () => {
    expect(source.name).toBe(BOOTSTRAP_SOURCE_NAME);
  });

  it('rejects an invalid ARN', () => {
    expect(() => createBootstrapSource(['creator'])).toThrow('invalid prefix');
  });
});
