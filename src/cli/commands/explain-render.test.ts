import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../../awsauth/parse.js';
import { configMapYaml } from '../../awsauth/testing.js';
import { translator } from '../../i18n/catalog.js';
import { explainIdentity, type Explanation } from '../../mapping/explain.js';
import { identityFromArn } from '../../mapping/identity.js';
import { createAwsAuthSource } from '../../mapping/sources/awsauth.js';
import { createBootstrapSource } from '../../mapping/sources/bootstrap.js';
import type { ExplainReason, MappingSource } from '../../mapping/types.js';
import { renderPrimaryFix, renderStepFix, renderStepMessage } from './explain-render.js';

const ACCOUNT = '111122223333';
const ROLE = `arn:aws:iam::${ACCOUNT}:role/admin`;
const SESSION = `arn:aws:sts::${ACCOUNT}:assumed-role/admin/alice`;
const USER = `arn:aws:iam::${ACCOUNT}:user/designated_user`;
const en = translator('en');
const zh = translator('zh-CN');

function awsAuth(data: Record<string, string>, options: { ssoRoleMatch?: boolean; reservedPrefixes?: string[] } = {}): MappingSource {
  return createAwsAuthSource(parseAwsAuth(configMapYaml(data), { sourceName: 'aws-auth.yaml' }), options);
}

function role(rolearn: string, username = 'admin'): string {
  return `- rolearn: ${rolearn}\n  username: ${username}\n  groups: [system:masters]\n`;
}

function user(userarn: string, username = 'designated_user'): string {
  return `- userarn: ${userarn}\n  username: ${username}\n  groups: [system:masters]\n`;
}

const SSO = '- sso:\n    permissionSetName: Admin\n    accountID: "111122223333"\n  username: sso\n  groups: [system:masters]\n';
const SSO_CALLER = `arn:aws:sts::${ACCOUNT}:assumed-role/AWSReservedSSO_Admin_0123456789abcdef/alice`;

/** One scenario per reason: the sources, the caller, and a phrase the Chinese message must contain. */
const SCENARIOS: readonly { reason: ExplainReason; sources: () => MappingSource[]; arn: string; zhPhrase: string }[] = [
  { reason: 'MATCHED', sources: () => [awsAuth({ mapRoles: role(ROLE) })], arn: SESSION, zhPhrase: '匹配' },
  { reason: 'ARN_DIFFERS', sources: () => [awsAuth({ mapRoles: role(`arn:aws:iam::${ACCOUNT}:role/other`) })], arn: SESSION, zhPhrase: '是另一个主体' },
  { reason: 'PATH_IN_CONFIGURED_ARN', sources: () => [awsAuth({ mapRoles: role(`arn:aws:iam::${ACCOUNT}:role/team/admin`) })], arn: SESSION, zhPhrase: '带有路径' },
  { reason: 'STS_ARN_CONFIGURED', sources: () => [awsAuth({ mapRoles: role(`arn:aws:sts::${ACCOUNT}:assumed-role/admin/bob`) })], arn: SESSION, zhPhrase: '会话' },
  { reason: 'CASE_ONLY_DIFFERENCE', sources: () => [awsAuth({ mapRoles: role(`arn:aws:iam::${ACCOUNT}:role/Admin`) })], arn: SESSION, zhPhrase: '忽略大小写' },
  { reason: 'WRONG_ACCOUNT', sources: () => [awsAuth({ mapUsers: user('arn:aws:iam::444455556666:user/designated_user') })], arn: USER, zhPhrase: '同名用户' },
  { reason: 'ENTRY_IN_BROKEN_KEY', sources: () => [awsAuth({ mapRoles: `${role(ROLE)}- rolearn: ${ROLE}\n  username: {{SessionName}}\n` })], arn: SESSION, zhPhrase: '解析失败' },
  { reason: 'SHADOWED', sources: () => [awsAuth({ mapUsers: user(USER, 'first') + user(USER, 'second') })], arn: USER, zhPhrase: '优先生效' },
  { reason: 'SSO_DISABLED', sources: () => [awsAuth({ mapRoles: SSO })], arn: SSO_CALLER, zhPhrase: 'SSO 角色匹配未开启' },
  { reason: 'SSO_MATCHED', sources: () => [awsAuth({ mapRoles: SSO }, { ssoRoleMatch: true })], arn: SSO_CALLER, zhPhrase: 'SSO 模式' },
  { reason: 'BOOTSTRAP_ADMIN', sources: () => [createBootstrapSource([ROLE])], arn: SESSION, zhPhrase: '创建了该集群' },
  { reason: 'ACCOUNT_ALLOWED', sources: () => [awsAuth({ mapAccounts: `- "${ACCOUNT}"\n` })], arn: USER, zhPhrase: '在 mapAccounts 中' },
  { reason: 'ACCOUNT_NOT_LISTED', sources: () => [awsAuth({ mapUsers: user(USER) })], arn: SESSION, zhPhrase: '不在 mapAccounts 中' },
  { reason: 'TEMPLATE_ERROR', sources: () => [awsAuth({ mapRoles: role(ROLE, '"node-{{EC2PrivateDNSName}}"') })], arn: SESSION, zhPhrase: '拒绝' },
  { reason: 'RESERVED_PREFIX', sources: () => [awsAuth({ mapRoles: role(ROLE, 'system:admin') }, { reservedPrefixes: ['system:'] })], arn: SESSION, zhPhrase: '前缀' },
  { reason: 'ACCEPTED', sources: () => [awsAuth({ mapRoles: role(ROLE) })], arn: SESSION, zhPhrase: '映射为用户名' },
  { reason: 'NOT_MAPPED', sources: () => [awsAuth({ mapUsers: user(USER) })], arn: SESSION, zhPhrase: '身份未映射' },
];

async function explain(scenario: (typeof SCENARIOS)[number]): Promise<Explanation> {
  return explainIdentity(identityFromArn(scenario.arn), scenario.sources());
}

describe('explain rendering', () => {
  it.each(SCENARIOS)('$reason in English equals the mapping message', async (scenario) => {
    const explanation = await explain(scenario);
    const step = explanation.steps.find((candidate) => candidate.reason === scenario.reason);

    expect(step).toBeDefined();
    expect(step?.detail).toBeDefined();
    expect(renderStepMessage(step!, explanation, en)).toBe(step?.message);
    expect(renderStepFix(step!, explanation, en)).toBe(step?.fix);
  });

  it.each(SCENARIOS)('$reason in Chinese is translated', async (scenario) => {
    const explanation = await explain(scenario);
    const step = explanation.steps.find((candidate) => candidate.reason === scenario.reason)!;
    const text = renderStepMessage(step, explanation, zh);

    expect(text).toContain(scenario.zhPhrase);
    expect(text).not.toMatch(/(?<!\{)\{\w+\}(?!\})/);
    expect(text).not.toMatch(/\b(matches|denied|line \d+|is not in)\b/);
  });

  it.each(SCENARIOS)('$reason primary fix in English equals Explanation.fix', async (scenario) => {
    const explanation = await explain(scenario);
    const fix = renderPrimaryFix(explanation, en);

    if (explanation.fix === undefined || explanation.fix === explanation.grantCommand) expect(fix).toBeUndefined();
    else expect(fix).toBe(explanation.fix);
  });

  it('step without detail keeps its message', async () => {
    const explanation = await explain(SCENARIOS[0]!);
    const step = { ...explanation.steps[0]!, detail: undefined, message: 'plain' };

    expect(renderStepMessage(step, explanation, zh)).toBe('plain');
  });

  it('detail missing a value falls back to the message', async () => {
    const explanation = await explain(SCENARIOS[0]!);
    const step = { ...explanation.steps[0]!, detail: { id: 'MATCHED' as const, params: {} }, message: 'fallback' };

    expect(renderStepMessage(step, explanation, zh)).toBe('fallback');
  });
});
