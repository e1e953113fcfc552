import { describe, expect, it } from 'vitest';
import {
  matchRoleMapping,
  referenceSsoPattern,
  roleMappingKey,
  ssoPattern,
  validateRoleMapping,
  validateUserMapping,
} from './records.js';
import type { RoleMapping, SsoReference } from './types.js';

const VIEW_ONLY: SsoReference = { permissionSetName: 'ViewOnlyAccess', accountID: '012345678912', partition: '' };

function ssoRole(sso: SsoReference): RoleMapping {
  return { rolearn: '', sso, username: 'u', groups: [] };
}

describe('ssoPattern', () => {
  it('default partition', () => {
    expect(ssoPattern(VIEW_ONLY)).toBe('arn:aws:iam::012345678912:role/awsreservedsso_viewonlyaccess_*');
  });

  it('keeps a given partition', () => {
    expect(ssoPattern({ ...VIEW_ONLY, partition: 'aws-cn' })).toBe('arn:aws-cn:iam::012345678912:role/awsreservedsso_viewonlyaccess_*');
  });

  it('reference drops a given partition', () => {
    expect(referenceSsoPattern({ ...VIEW_ONLY, partition: 'aws' })).toBe('arn::iam::012345678912:role/awsreservedsso_viewonlyaccess_*');
  });
});

describe('SSO role mapping', () => {
  const mapping = ssoRole(VIEW_ONLY);

  it('key is the pattern', () => {
    expect(roleMappingKey(mapping)).toBe('arn:aws:iam::012345678912:role/awsreservedsso_viewonlyaccess_*');
  });

  it('matches its permission set', () => {
    expect(matchRoleMapping(mapping, 'arn:aws:iam::012345678912:role/awsreservedsso_viewonlyaccess_abcdefg', true)).toBe('sso');
  });

  it('ignores another permission set', () => {
    expect(matchRoleMapping(mapping, 'arn:aws:iam::012345678912:role/awsreservedsso_billing_hijklmn', true)).toBeUndefined();
  });

  it('needs the feature gate', () => {
    expect(matchRoleMapping(mapping, 'arn:aws:iam::012345678912:role/awsreservedsso_viewonlyaccess_abcdefg', false)).toBeUndefined();
  });

  it('matches in another partition', () => {
    const china = ssoRole({ ...VIEW_ONLY, partition: 'aws-cn' });
    expect(matchRoleMapping(china, 'arn:aws-cn:iam::012345678912:role/awsreservedsso_viewonlyaccess_abc', true)).toBe('sso');
  });

  it('validates', () => {
    expect(validateRoleMapping(mapping)).toBeUndefined();
  });

  it.each([
    ['partition', { ...VIEW_ONLY, partition: 'aws-nk' }, "partition 'aws-nk' is not a valid AWS partition"],
    ['account', { ...VIEW_ONLY, accountID: '0123456789' }, "AccountID '0123456789' is not a valid AWS Account ID"],
    [
      'permission set',
      { ...VIEW_ONLY, permissionSetName: 'ViewOnlyAccess*' },
      "PermissionSetName 'ViewOnlyAccess*' is not a valid AWS SSO PermissionSet Name",
    ],
  ])('rejects invalid %s', (_name, sso, message) => {
    expect(validateRoleMapping(ssoRole(sso))?.message).toBe(message);
  });
});

describe('RoleARN mapping', () => {
  const mapping: RoleMapping = { rolearn: 'arn:aws:iam::012345678912:role/KubeAdmin', username: 'admin', groups: [] };

  it('key is lower case', () => {
    expect(roleMappingKey(mapping)).toBe('arn:aws:iam::012345678912:role/kubeadmin');
  });

  it('matches its ARN', () => {
    expect(matchRoleMapping(mapping, 'arn:aws:iam::012345678912:role/kubeadmin', false)).toBe('exact');
  });

  it('ignores another role', () => {
    expect(matchRoleMapping(mapping, 'arn:aws:iam::012345678912:role/notkubeadmin', false)).toBeUndefined();
  });

  it.each([
    ['empty', { rolearn: '', username: '', groups: [] }, 'one of rolearn or SSO must be supplied'],
    ['both', { rolearn: 'arn:aws:iam::1:role/a', sso: VIEW_ONLY, username: '', groups: [] }, 'only one of rolearn or SSO can be supplied'],
  ])('rejects %s', (_name, input, message) => {
    expect(validateRoleMapping(input as RoleMapping)?.message).toBe(message);
  });
});

describe('UserARN mapping', () => {
  it('empty userarn is invalid', () => {
    expect(validateUserMapping({ userarn: '', username: 'u', groups: [] })?.message).toBe('value for userarn must be supplied');
  });

  it('valid userarn', () => {
    expect(validateUserMapping({ userarn: 'arn:aws:iam::012345678912:user/Shanice', username: 'u', groups: [] })).toBeUndefined();
  });
});
