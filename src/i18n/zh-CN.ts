import type { en } from './en.js';

/** Simplified Chinese messages. Technical terms (ARN, ConfigMap, mapRoles, TokenReview) stay English. */
export const zhCN: Record<keyof typeof en, string> = {
  'help.program': '像 Amazon EKS 一样把 AWS IAM 身份映射为 Kubernetes 用户，并安全地管理 aws-auth。',
  'help.version': '显示 kubeiam 版本',
  'help.help': '显示命令帮助',
  'help.lang': '消息语言：en 或 zh-CN（默认取自 LC_ALL、LC_MESSAGES 或 LANG）',

  'help.token': '为 kubectl 输出带 EKS 令牌的 ExecCredential（exec 凭证插件）',
  'help.token.clusterId': '令牌对应的集群名称或 ID（aws-iam-authenticator -i）',
  'help.token.clusterName': '令牌对应的集群名称（aws eks get-token --cluster-name）',
  'help.token.region': '用哪个 AWS 区域的 STS 端点签名令牌（默认：AWS_REGION、profile、us-east-1）',
  'help.token.role': '签名前要扮演（assume）的 IAM 角色 ARN',
  'help.token.roleArn': '同 --role（aws eks get-token --role-arn）',
  'help.token.sessionName': '所扮演角色的会话名称',
  'help.token.externalId': '所扮演角色的 external ID',
  'help.token.forwardSessionName': '沿用调用者自己的会话名称作为角色会话名称',
  'help.token.tokenOnly': '只输出令牌，不输出 ExecCredential',
  'help.token.profile': '读取凭证的 AWS profile（默认：AWS_PROFILE）',

  'error.prefix': '错误：',
  'error.unexpected': '意外错误，请报告：{message}',

  'token.clusterMissing': '未指定集群 ID：请传入 --cluster-name NAME（或 -i NAME）',
  'token.sessionConflict': '不能同时指定 --forward-session-name 和 --session-name',
  'token.regionDefault': '未配置 AWS 区域（参数、AWS_REGION、profile），使用 us-east-1',
};
