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
  'help.token.fips': '为 FIPS STS 端点签名（默认：AWS_USE_FIPS_ENDPOINT）',
  'help.token.dualstack': '为双栈（IPv4 和 IPv6）STS 端点签名（默认：AWS_USE_DUALSTACK_ENDPOINT）',
  'help.token.cache':
    '把基础 AWS 凭证缓存在 ~/.kube/cache/aws-iam-authenticator/credentials.yaml（或 AWS_IAM_AUTHENTICATOR_CACHE_FILE），即 aws-iam-authenticator --cache 使用的文件',
  'help.token.execCache':
    '对相同的集群、区域、角色、profile 和访问密钥，在令牌过期前剩余超过 60 秒时复用上一次的令牌；存放在 $XDG_CACHE_HOME/kubeiam（默认：~/.cache/kubeiam）',

  'help.verify': '通过 STS 验证令牌并输出其所属身份（用于调试）',
  'help.verify.token': '要验证的令牌（k8s-aws-v1.…）',
  'help.verify.clusterId': '令牌必须签名所针对的集群 ID（默认：KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID）',
  'help.verify.partition': '接受其 STS 主机的 AWS 分区（默认：aws）',
  'help.verify.region': '服务端自身所在区域：即使分区表未列出，也接受该区域的 STS 主机',
  'help.verify.stsEndpointOverride': '把 STS 请求发往这个回环地址 URL（本地 STS 模拟器），而不是令牌中的主机',
  'help.verify.output': '输出格式：text 或 json（默认：text）',

  'error.prefix': '错误：',
  'error.unexpected': '意外错误，请报告：{message}',

  'token.clusterMissing': '未指定集群 ID：请传入 --cluster-name NAME（或 -i NAME）',
  'token.sessionConflict': '不能同时指定 --forward-session-name 和 --session-name',
  'token.regionDefault': '未配置 AWS 区域（参数、AWS_REGION、profile），使用 us-east-1',
  'token.envBooleanInvalid': '环境变量 {name}={value} 的值无效：应为 true 或 false',
  'token.cacheUnusable': '无法使用缓存：{reason}',
  'token.cacheNotPrivate': '缓存文件 {path} 不是私有的',
  'token.cacheReadFailed': '无法读取缓存文件 {path}：{detail}',
  'token.cacheParseFailed': '无法解析文件 {path}：{detail}',
  'token.cacheMissing': '缓存文件 {path} 不存在。',
  'token.cacheNotExpiring': '无法缓存凭证：该凭证不支持过期时间',
  'token.cacheWriteFailed': '无法把凭证缓存到 {path}：{detail}',
  'token.execCacheNotPrivate': 'exec 凭证缓存 {path} 可被其他用户访问，因此不使用；请对该目录执行 chmod 700，对其中文件执行 chmod 600',
  'token.execCacheWriteFailed': '无法写入 {path} 中的 exec 凭证缓存：{detail}',

  'verify.tokenMissing': '未指定令牌：请传入 -t TOKEN',
  'verify.clusterMissing': '未指定集群 ID：请传入 -i CLUSTER',
  'verify.failed': '无法验证令牌：{detail}',
};
