import { describe, expect, it } from 'vitest';
import { createClusterRecord, IDENTITIES } from '../../test/aws/records.js';
import { creatorFromRecord, isCreateClusterOf, newestRecord, parseTrailRecord, type TrailRecord } from './trail.js';

const TIME = '2026-11-20T09:15:00Z';

function parsed(record: unknown): TrailRecord {
  const result = parseTrailRecord(record);
  if (result === undefined) throw new Error('fixture is not a trail record');
  return result;
}

describe('creatorFromRecord', () => {
  it.each([
    ['IAM user', IDENTITIES.iamUser, 'arn:aws:iam::111122223333:user/cluster_creator', 'arn:aws:iam::111122223333:user/cluster_creator'],
    ['assumed role with path', IDENTITIES.assumedRoleWithPath, 'arn:aws:iam::111122223333:role/platform/admins/cluster_creator', 'arn:aws:iam::111122223333:role/cluster_creator'],
    ['federated user', IDENTITIES.federatedUser, 'arn:aws:iam::111122223333:user/federation-broker', 'arn:aws:sts::111122223333:federated-user/bob'],
    ['root', IDENTITIES.root, 'arn:aws:iam::111122223333:root', 'arn:aws:iam::111122223333:root'],
  ])('creatorFromRecord %s', (_name, identity, principalArn, canonicalArn) => {
    const creator = creatorFromRecord(parsed(createClusterRecord({ cluster: 'prod', time: TIME, identity })));
    expect(creator.principalArn).toBe(principalArn);
    expect(creator.canonicalArn).toBe(canonicalArn);
    expect(creator.identityType).toBe(identity.type);
  });

  it('creatorFromRecord notes the dropped role path', () => {
    const creator = creatorFromRecord(parsed(createClusterRecord({ cluster: 'prod', time: TIME, identity: IDENTITIES.assumedRoleWithPath })));
    expect(creator.notes.join(' ')).toContain('without the path');
  });

  it('creatorFromRecord assumed role without issuer', () => {
    const { sessionContext: _context, ...identity } = IDENTITIES.assumedRoleWithPath;
    const creator = creatorFromRecord(parsed(createClusterRecord({ cluster: 'prod', time: TIME, identity })));
    expect(creator.canonicalArn).toBe('arn:aws:iam::111122223333:role/cluster_creator');
  });

  it('creatorFromRecord AWS service has no ARN', () => {
    const creator = creatorFromRecord(parsed(createClusterRecord({ cluster: 'prod', time: TIME, identity: IDENTITIES.awsService })));
    expect(creator.canonicalArn).toBeUndefined();
    expect(creator.invokedBy).toBe('cloudformation.amazonaws.com');
  });
});

describe('isCreateClusterOf', () => {
  const base = { cluster: 'prod', time: TIME, identity: IDENTITIES.iamUser };
  it.each([
    ['EKS call', base, 'eu-west-1', true],
    ['legacy clusterName field', { ...base, nameKey: 'clusterName' as const }, 'eu-west-1', true],
    ['other cluster', { ...base, cluster: 'staging' }, 'eu-west-1', false],
    ['ECS CreateCluster', { ...base, eventSource: 'ecs.amazonaws.com' }, 'eu-west-1', false],
    ['failed call', { ...base, errorCode: 'ResourceInUseException' }, 'eu-west-1', false],
    ['other region', base, 'us-east-1', false],
    ['any region', base, '', true],
  ])('isCreateClusterOf %s', (_name, input, region, expected) => {
    expect(isCreateClusterOf(parsed(createClusterRecord(input)), 'prod', region)).toBe(expected);
  });
});

describe('parseTrailRecord', () => {
  it.each([
    ['null', null],
    ['array', []],
    ['no userIdentity', { eventName: 'CreateCluster', eventSource: 'eks.amazonaws.com' }],
    ['identity without type', { eventName: 'CreateCluster', eventSource: 'eks.amazonaws.com', userIdentity: { arn: 'x' } }],
    ['numeric event name', { eventName: 7, eventSource: 'eks.amazonaws.com', userIdentity: { type: 'Root' } }],
  ])('parseTrailRecord rejects %s', (_name, value) => {
    expect(parseTrailRecord(value)).toBeUndefined();
  });

  it('parseTrailRecord ignores a non-string ARN', () => {
    const record = parsed({ eventName: 'CreateCluster', eventSource: 'eks.amazonaws.com', userIdentity: { type: 'IAMUser', arn: 42 } });
    expect(record.userIdentity.arn).toBeUndefined();
  });
});

describe('newestRecord', () => {
  it('newestRecord picks the latest creation', () => {
    const older = parsed(createClusterRecord({ cluster: 'prod', time: '2026-10-01T00:00:00Z', identity: IDENTITIES.root }));
    const newer = parsed(createClusterRecord({ cluster: 'prod', time: '2026-11-01T00:00:00Z', identity: IDENTITIES.iamUser }));
    expect(newestRecord([older, newer])).toBe(newer);
  });
});
