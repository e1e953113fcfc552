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

  'error.prefix': 'error: ',
  'error.unexpected': 'unexpected error, please report it: {message}',

  'token.clusterMissing': 'cluster ID not specified: pass --cluster-name NAME (or -i NAME)',
  'token.sessionConflict': 'cannot specify both --forward-session-name and --session-name',
  'token.regionDefault': 'no AWS region configured (flag, AWS_REGION, profile); using us-east-1',
} as const satisfies Record<string, string>;
