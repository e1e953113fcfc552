import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../awsauth/parse.js';
import { configMapYaml } from '../awsauth/testing.js';
import { mapIdentity } from './chain.js';
import { explainIdentity } from './explain.js';
import { identityFromArn } from './identity.js';
import { createAwsAuthSource } from './sources/awsauth.js';
import { createBootstrapSource } from './sources/bootstrap.js';
import { createMountedSource } from './sources/mounted.js';
import type { ExplainReason, MappingSource } from './types.js';

const ACCOUNT = '111122223333';
const ADMIN_ROLE = `arn:aws:iam::${ACCOUNT}:role/admin`;
const CALLER = identityFromArn(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`);
const USER = identityFromArn(`arn:aws:iam::${ACCOUNT}:user/designated_user`);

function awsAuth(data: Record<string, string>, options: { ssoRoleMatch?: boolean; reservedPrefixes?: string[] } = {}): MappingSource {
  return createAwsAuthSource(parseAwsAuth(configMapYaml(data), { sourceName: 'aws-auth.yaml' }), options);
}

function role(rolearn: string, username = 'admin', groups = 'system:masters'): string {
  return `- rolearn: ${rolearn}\n  username: ${username}\n  groups: [${groups}]\n`;
}

async function reasons(sources: MappingSource[], identity = CALLER): Promise<ExplainReason[]> {
  return (await explainIdentity(identity, sources)).steps.map((step) => step.reason);
}

async function step(sources: MappingSource[], reason: ExplainReason, identity = CALLER) {
  return (await explainIdentity(identity, sources)).steps.find((candidate) => candidate.reason === reason);
}

describe('explainIdentity reasons', () => {
  it('MATCHED', async () => {
    expect(await step([awsAuth({ mapRoles: role(ADMIN_ROLE) })], 'MATCHED')).toMatchObject({ matched: true, origin: { key: 'mapRoles', line: 8 } });
  });

  it('CASE_ONLY_DIFFERENCE', async () => {
    const found = await step([awsAuth({ mapRoles: role(`arn:aws:iam::${ACCOUNT}:role/Admin`) })], 'CASE_ONLY_DIFFERENCE');
    expect(found).toMatchObject({ matched: true, fix: `write the ARN as STS reports it: ${ADMIN_ROLE}` });
  });

  it('ARN_DIFFERS', async () => {
    expect(await step([awsAuth({ mapRoles: role(`arn:aws:iam::${ACCOUNT}:role/other`) })], 'ARN_DIFFERS')).toMatchObject({ matched: false });
  });

  it('PATH_IN_CONFIGURED_ARN', async () => {
    const found = await step([awsAuth({ mapRoles: role(`arn:aws:iam::${ACCOUNT}:role/team/admin`) })], 'PATH_IN_CONFIGURED_ARN');
    expect(found?.fix).toBe(`change the ARN to ${ADMIN_ROLE}`);
  });

  it('STS_ARN_CONFIGURED', async () => {
    const found = await step([awsAuth({ mapRoles: role(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/bob`) })], 'STS_ARN_CONFIGURED');
    expect(found?.fix).toBe(`change the ARN to ${ADMIN_ROLE}`);
  });

  it('STS ARN in a mounted source is canonicalised, so it matches', async () => {
    const mounted = createMountedSource({ mapRoles: [{ rolearn: `arn:aws:sts::${ACCOUNT}:assumed-role/admin/bob`, username: 'a' }] });
    expect(await reasons([mounted])).toContain('MATCHED');
  });

  it('WRONG_ACCOUNT', async () => {
    const found = await step([awsAuth({ mapRoles: role('arn:aws:iam::444455556666:role/admin') })], 'WRONG_ACCOUNT');
    expect(found?.message).toContain(`in account 444455556666, but the caller is in account ${ACCOUNT}`);
  });

  it('ENTRY_IN_BROKEN_KEY', async () => {
    const broken = awsAuth({ mapRoles: `- rolearn: ${ADMIN_ROLE}\n  username: {{SessionName}}\n` });
    const found = await step([broken], 'ENTRY_IN_BROKEN_KEY');
    expect(found?.message).toContain('mapRoles failed to parse at line 9');
    expect(found?.message).toContain(`${ADMIN_ROLE} appears at line 8`);
    expect(found?.origin?.line).toBe(9);
  });

  it('ENTRY_IN_BROKEN_KEY for an invalid ConfigMap', async () => {
    const invalid = createAwsAuthSource(parseAwsAuth(`data:\n  mapRoles:\n    - rolearn: ${ADMIN_ROLE}\n`, { sourceName: 'x' }));
    expect((await step([invalid], 'ENTRY_IN_BROKEN_KEY'))?.message).toContain('the ConfigMap is not valid');
  });

  it('ENTRY_INVALID', async () => {
    const invalid = awsAuth({ mapRoles: `- rolearn: ${ADMIN_ROLE}\n  sso: {permissionSetName: A, accountID: "${ACCOUNT}"}\n  username: a\n` });
    expect((await step([invalid], 'ENTRY_INVALID'))?.message).toContain(`only one of rolearn or SSO can be supplied (it names ${ADMIN_ROLE})`);
  });

  it('SHADOWED', async () => {
    const duplicates = awsAuth({ mapRoles: role(ADMIN_ROLE, 'first', 'a') + role(ADMIN_ROLE, 'second', 'b') });
    expect((await step([duplicates], 'SHADOWED'))?.message).toContain('mapRoles[1] (line 11) has the same ARN and wins');
  });

  it('OUTRANKED', async () => {
    const ssoRole = identityFromArn(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123/alice`);
    const both = awsAuth(
      { mapRoles: `- sso: {permissionSetName: Admin, accountID: "${ACCOUNT}"}\n  username: sso\n${role(ssoRole.canonicalArn, 'exact')}` },
      { ssoRoleMatch: true },
    );
    expect((await step([both], 'OUTRANKED', ssoRole))?.message).toContain('mapRoles[1] (line 10) takes precedence');
  });

  it('SSO_MATCHED', async () => {
    const ssoRole = identityFromArn(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123/alice`);
    const sso = awsAuth({ mapRoles: `- sso: {permissionSetName: Admin, accountID: "${ACCOUNT}"}\n  username: sso\n` }, { ssoRoleMatch: true });
    expect(await step([sso], 'SSO_MATCHED', ssoRole)).toMatchObject({ matched: true });
  });

  it('SSO_DISABLED', async () => {
    const ssoRole = identityFromArn(`arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123/alice`);
    const sso = awsAuth({ mapRoles: `- sso: {permissionSetName: Admin, accountID: "${ACCOUNT}"}\n  username: sso\n` });
    expect((await step([sso], 'SSO_DISABLED', ssoRole))?.fix).toContain(`rolearn: ${ssoRole.canonicalArn}`);
  });

  it('BOOTSTRAP_ADMIN', async () => {
    expect(await step([createBootstrapSource([ADMIN_ROLE])], 'BOOTSTRAP_ADMIN')).toMatchObject({ matched: true, source: 'bootstrap (cluster creator)' });
  });

  it('TEMPLATE_ERROR', async () => {
    const node = awsAuth({ mapRoles: role(ADMIN_ROLE, "'system:node:{{EC2PrivateDNSName}}'") });
    expect((await step([node], 'TEMPLATE_ERROR'))?.message).toContain('SessionName did not contain an instance id');
  });

  it('RESERVED_PREFIX', async () => {
    const reserved = awsAuth({ mapRoles: role(ADMIN_ROLE, 'eks:admin') }, { reservedPrefixes: ['eks:'] });
    expect((await step([reserved], 'RESERVED_PREFIX'))?.message).toContain('must not begin with with');
  });

  it('MAP_ERROR', async () => {
    const failing: MappingSource = { name: 'DynamicFile', reservedPrefixes: [], map: () => { throw new Error('ARN does not match User ID'); }, isAccountAllowed: () => false };
    expect((await step([failing], 'MAP_ERROR'))?.message).toBe('mapper DynamicFile Map error: ARN does not match User ID');
  });

  it('ACCOUNT_ALLOWED', async () => {
    expect(await step([awsAuth({ mapAccounts: `- "${ACCOUNT}"\n` })], 'ACCOUNT_ALLOWED')).toMatchObject({ matched: true, kind: 'account' });
  });

  it('ACCOUNT_NOT_LISTED', async () => {
    expect(await step([awsAuth({ mapAccounts: '- "444455556666"\n' })], 'ACCOUNT_NOT_LISTED')).toMatchObject({ matched: false });
  });

  it('ACCEPTED', async () => {
    expect((await step([awsAuth({ mapRoles: role(ADMIN_ROLE) })], 'ACCEPTED'))?.message).toBe("mapped to username 'admin' with groups [system:masters]");
  });

  it('NOT_MAPPED', async () => {
    expect((await step([awsAuth({})], 'NOT_MAPPED'))?.message).toContain('identity is not mapped');
  });
});

describe('explainIdentity result', () => {
  it('trace follows the chain order', async () => {
    const sources = [createBootstrapSource([`arn:aws:iam::${ACCOUNT}:user/creator`]), awsAuth({ mapRoles: role(ADMIN_ROLE) })];
    expect(await reasons(sources)).toEqual(['ARN_DIFFERS', 'MATCHED', 'ACCEPTED']);
  });

  it('bootstrap source has no account step', async () => {
    const sources = [createBootstrapSource([`arn:aws:iam::${ACCOUNT}:user/creator`]), awsAuth({})];
    expect(await reasons(sources)).toEqual(['ARN_DIFFERS', 'ACCOUNT_NOT_LISTED', 'NOT_MAPPED']);
  });

  it('agrees with mapIdentity', async () => {
    const sources = [awsAuth({ mapRoles: role(ADMIN_ROLE) + role(ADMIN_ROLE, 'second') })];
    expect((await explainIdentity(CALLER, sources)).outcome).toEqual(await mapIdentity(CALLER, sources));
  });

  it('mapped caller gets 200 and no fix', async () => {
    const explanation = await explainIdentity(CALLER, [awsAuth({ mapRoles: role(ADMIN_ROLE) })]);
    expect([explanation.httpStatus, explanation.fix]).toEqual([200, undefined]);
  });

  it('unmapped user gets 401 and a grant command', async () => {
    const explanation = await explainIdentity(USER, [awsAuth({})]);
    expect(explanation.httpStatus).toBe(401);
    expect(explanation.grantCommand).toBe(`kubeiam grant user arn:aws:iam::${ACCOUNT}:user/designated_user --username designated_user`);
    expect(explanation.fix).toBe(explanation.grantCommand);
  });

  it('grant command reuses the near-miss entry', async () => {
    const explanation = await explainIdentity(CALLER, [awsAuth({ mapRoles: role(`arn:aws:iam::${ACCOUNT}:role/team/admin`, "'{{SessionName}}'", 'system:masters, dev ops') })]);
    expect(explanation.grantCommand).toBe(`kubeiam grant role ${ADMIN_ROLE} --username '{{SessionName}}' --group system:masters --group 'dev ops'`);
    expect(explanation.fix).toBe(`aws-auth.yaml mapRoles[0] (line 8): change the ARN to ${ADMIN_ROLE}`);
  });

  it('broken key fix comes first', async () => {
    const explanation = await explainIdentity(CALLER, [awsAuth({ mapRoles: `- rolearn: ${ADMIN_ROLE}\n  username: {{SessionName}}\n` })]);
    expect(explanation.fix).toContain('correct line 9');
  });

  it('denied by template has no grant command', async () => {
    const explanation = await explainIdentity(CALLER, [awsAuth({ mapRoles: role(ADMIN_ROLE, "'{{EC2PrivateDNSName}}'") })]);
    expect([explanation.httpStatus, explanation.grantCommand]).toEqual([401, undefined]);
  });
});
