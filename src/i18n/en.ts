/** English messages. Keys are stable; zh-CN.ts must define exactly the same keys and placeholders. */
export const en = {
  'help.program': 'Map AWS IAM identities to Kubernetes users the way Amazon EKS does, and manage aws-auth safely.',
  'help.version': 'print the kubeiam version',
  'help.help': 'show help for a command',
  'help.lang': 'message language: en or zh-CN (default: from LC_ALL, LC_MESSAGES or LANG)',

  'help.token': 'print an ExecCredential with an EKS token for kubectl (exec credential plugin)',
  'help.token.clusterId': 'cluster name or ID the token is for (aws-iam-authenticator -i)',
  'help.token.clusterName': 'cluster name the token is for (aws eks get-token --cluster-name)',
  'help.token.region': 'AWS region whose STS endpoint signs the token (default: AWS_REGION, profile, us-east-1)',
  'help.token.role': 'IAM role ARN to assume before signing',
  'help.token.roleArn': 'same as --role (aws eks get-token --role-arn)',
  'help.token.sessionName': 'session name for the assumed role',
  'help.token.externalId': 'external ID for the assumed role',
  'help.token.forwardSessionName': "use the caller's own session name for the assumed role",
  'help.token.tokenOnly': 'print only the token, not an ExecCredential',
  'help.token.profile': 'AWS profile to take credentials from (default: AWS_PROFILE)',
  'help.token.fips': 'sign for the FIPS STS endpoint (default: AWS_USE_FIPS_ENDPOINT)',
  'help.token.dualstack': 'sign for the dual-stack (IPv4 and IPv6) STS endpoint (default: AWS_USE_DUALSTACK_ENDPOINT)',
  'help.token.cache':
    'cache the base AWS credentials in ~/.kube/cache/aws-iam-authenticator/credentials.yaml (or AWS_IAM_AUTHENTICATOR_CACHE_FILE), the file aws-iam-authenticator --cache uses',
  'help.token.execCache':
    'reuse the last token for the same cluster, region, role, profile and access key while more than 60 s remain before it expires; stored in $XDG_CACHE_HOME/kubeiam (default: ~/.cache/kubeiam)',

  'help.verify': 'verify a token with STS and print the identity it belongs to (for debugging)',
  'help.verify.token': 'token to verify (k8s-aws-v1.…)',
  'help.verify.clusterId': 'cluster ID the token must be signed for (default: KUBERNETES_AWS_AUTHENTICATOR_CLUSTER_ID)',
  'help.verify.partition': 'AWS partition whose STS hosts are accepted (default: aws)',
  'help.verify.region': "the server's own region: its STS hosts are accepted even when the partition table does not list them",
  'help.verify.stsEndpointOverride': "send the STS request to this loopback URL (a local STS emulator) instead of the token's host",
  'help.verify.output': 'output format: text or json (default: text)',

  'error.prefix': 'error: ',
  'error.unexpected': 'unexpected error, please report it: {message}',

  'token.clusterMissing': 'cluster ID not specified: pass --cluster-name NAME (or -i NAME)',
  'token.sessionConflict': 'cannot specify both --forward-session-name and --session-name',
  'token.regionDefault': 'no AWS region configured (flag, AWS_REGION, profile); using us-east-1',
  'token.envBooleanInvalid': 'invalid value for environment variable {name}={value}: expected true or false',
  'token.cacheUnusable': 'unable to use cache: {reason}',
  'token.cacheNotPrivate': 'cache file {path} is not private',
  'token.cacheReadFailed': 'unable to read cache file {path}: {detail}',
  'token.cacheParseFailed': 'unable to parse file {path}: {detail}',
  'token.cacheMissing': 'Cache file {path} does not exist.',
  'token.cacheNotExpiring': "Unable to cache credential: credential doesn't support expiration",
  'token.cacheWriteFailed': 'Unable to cache credential in {path}: {detail}',
  'token.execCacheNotPrivate':
    'exec credential cache {path} is accessible by other users, so it is not used; run chmod 700 on the directory and chmod 600 on its files',
  'token.execCacheWriteFailed': 'unable to write the exec credential cache in {path}: {detail}',

  'verify.tokenMissing': 'token not specified: pass -t TOKEN',
  'verify.clusterMissing': 'cluster ID not specified: pass -i CLUSTER',
  'verify.failed': 'could not verify token: {detail}',
} as const satisfies Record<string, string>;
