/*
 * Lint findings and edit warnings, rendered from the values a Problem or EditWarning carries.
 * `lintMessage.<code>` and `lintFix.<code>` may have a `.<variant>` form; `lintTerm.<id>` phrases
 * fill parameters that name a kind of value. Each English template reproduces the English text that
 * src/awsauth builds, and src/cli/lint-i18n.test.ts compares the two for every code.
 */
export const enLint = {
  'lintMessage.ACCOUNT_ID_INVALID': "{entry} (line {line}): '{accountId}' is not a 12-digit AWS account ID, so no caller matches it",
  'lintFix.ACCOUNT_ID_INVALID': 'write the 12 digits in quotes, leading zeros included: - "012345678901"',
  'lintMessage.ACCOUNT_NOT_STRING': 'mapAccounts[{index}] at line {line} is {actual}, not an account ID, so it is skipped',
  'lintFix.ACCOUNT_NOT_STRING': 'write each account as a list item: - "111122223333"',
  'lintMessage.ARN_INVALID': "{entry} (line {line}): '{arn}' is not a valid IAM principal ARN ({reason}), so it matches no caller",
  'lintFix.ARN_INVALID': 'write the ARN that `aws sts get-caller-identity` prints (role ARN for assumed roles)',
  'lintMessage.ASSUMED_ROLE_ARN':
    '{entry} (line {line}): {arn} is an STS assumed-role (session) ARN; callers are compared by their role ARN, so this entry never matches',
  'lintFix.ASSUMED_ROLE_ARN': 'map the role in mapRoles: rolearn: {roleArn}',
  'lintMessage.CONFIGMAP_NAME': "the ConfigMap is named '{name}'; the authenticator reads only aws-auth",
  'lintFix.CONFIGMAP_NAME': 'name: aws-auth',
  'lintMessage.CONFIGMAP_NAMESPACE': "the ConfigMap is in namespace '{namespace}'; the authenticator reads only kube-system",
  'lintFix.CONFIGMAP_NAMESPACE': 'namespace: kube-system',
  'lintMessage.CONFIGMAP_TOO_LARGE.over':
    'the data of this ConfigMap is {bytes} bytes ({kib} KiB); the API server rejects a ConfigMap over 1048576 bytes (1 MiB), so it cannot be applied',
  'lintMessage.CONFIGMAP_TOO_LARGE.near': 'the data of this ConfigMap is {bytes} bytes ({kib} KiB), over 90% of the 1 MiB the API server accepts',
  'lintFix.CONFIGMAP_TOO_LARGE':
    'map roles through groups or SSO patterns instead of one entry per identity, or move identities to EKS access entries',
  'lintMessage.CREATOR_IN_MAP':
    '{entry} (line {line}) maps the cluster creator {creator}, which EKS already makes an admin outside aws-auth; a wrong entry here can take that access away',
  'lintFix.CREATOR_IN_MAP': 'remove the entry: kubeiam revoke {kind} {arn}',
  'lintMessage.DATA_KEY_DUPLICATE': 'not a valid ConfigMap: data.{key} is defined twice (lines {first} and {line})',
  'lintFix.DATA_KEY_DUPLICATE': 'merge the two {key} blocks into one',
  'lintMessage.DATA_KEY_IGNORED.unknown': "data key '{name}' is ignored: only mapRoles, mapUsers and mapAccounts are read",
  'lintFix.DATA_KEY_IGNORED.unknown': 'remove the key, or rename it to mapRoles, mapUsers or mapAccounts if it holds mappings',
  'lintMessage.DATA_KEY_IGNORED.case': "data key '{name}' is ignored because key names are case-sensitive, so nothing in it is mapped",
  'lintFix.DATA_KEY_IGNORED.case': 'rename it to {intended}',
  'lintMessage.DATA_KEY_INVALID': "not a valid ConfigMap: data key '{key}' may only contain letters, digits, '-', '_' and '.'",
  'lintFix.DATA_KEY_INVALID': 'rename or remove the key',
  'lintMessage.DATA_NOT_STRING.dataNotMapping': 'not a valid ConfigMap: data must be a mapping of keys to strings',
  'lintFix.DATA_NOT_STRING.dataNotMapping': 'write data as `data:` followed by indented `mapRoles: |` blocks',
  'lintMessage.DATA_NOT_STRING.collection': 'not a valid ConfigMap: data.{key} must be a string (add `|` after `{key}:`)',
  'lintFix.DATA_NOT_STRING.collection': 'write `{key}: |` and keep the entries indented below it',
  'lintMessage.DATA_NOT_STRING.scalar': 'not a valid ConfigMap: data.{key} must be a string, but it is {actual} ({value})',
  'lintFix.DATA_NOT_STRING.scalar': 'quote it: {key}: "{value}"',
  'lintMessage.DUPLICATE_ARN':
    '{entry} (line {line}) is shadowed by {by} (line {byLine}): both map {arn}, the last one wins and groups are not merged, so only [{groups}] apply',
  'lintFix.DUPLICATE_ARN': 'merge the groups into {by} (line {byLine}) and delete {entry} (line {line})',
  'lintMessage.ENTRY_INVALID': '{key}[{index}] at line {line} is not loaded: {reason}',
  'lintFix.ENTRY_INVALID.role': 'give the entry either `rolearn` or `sso`, not both',
  'lintFix.ENTRY_INVALID.user': 'add `userarn` to the entry',
  'lintMessage.ENTRY_KEY_CASE':
    "{entry} (line {line}): key '{written}' works here because Go matches field names case-insensitively, but not with every authenticator version or aws-auth tool",
  'lintFix.ENTRY_KEY_CASE': "write '{field}'",
  'lintMessage.EXACT_AND_SSO_MATCH':
    '{entry} (line {line}) and the SSO entry {sso} (line {ssoLine}) both match {arn}; aws-iam-authenticator picks either at random, kubeiam uses the exact entry',
  'lintFix.EXACT_AND_SSO_MATCH': 'keep one of the two, or give both the same username and groups',
  'lintMessage.GROUP_MERGED':
    "{entry} (line {line}): group '{group}' is one group, not several: an extra space before a '-' joined the list items at line {joinedLine}",
  'lintMessage.GROUP_MERGED.noLine':
    "{entry} (line {line}): group '{group}' is one group, not several: an extra space before a '-' joined the list items",
  'lintFix.GROUP_MERGED': "align the '-' of every item: {items}",
  'lintMessage.JSON_SYNTAX': 'the document is not valid JSON: {error}',
  'lintFix.JSON_SYNTAX': 'correct line {line}',
  'lintMessage.KEY_BROKEN': '{key} failed to parse at line {line}: {error}. None of its entries load, so every identity it maps is locked out',
  'lintFix.KEY_BROKEN': 'correct line {line} of {key}; run `kubeiam lint` to check',
  'lintMessage.NODE_GROUPS_MISSING': '{entry} (line {line}): node role {arn} lacks {missing}, so its nodes cannot join the cluster',
  'lintMessage.NODE_GROUPS_MISSING.both':
    '{entry} (line {line}): node role {arn} lacks system:bootstrappers and system:nodes, so its nodes cannot join the cluster',
  'lintFix.NODE_GROUPS_MISSING': 'groups: [{groups}]',
  'lintMessage.NODE_ROLE_UNMAPPED': 'node role {arn} is not mapped, so its nodes cannot join the cluster',
  'lintFix.NODE_ROLE_UNMAPPED': "kubeiam grant role {arn} --username '{username}' --group system:bootstrappers --group system:nodes",
  'lintMessage.NOT_A_CONFIGMAP.notMapping': 'the document is not a mapping: expected a ConfigMap or its data map',
  'lintFix.NOT_A_CONFIGMAP.notMapping': 'start from `kubectl get configmap aws-auth --namespace kube-system --output yaml`',
  'lintMessage.NOT_A_CONFIGMAP.kind': "kind is '{kind}', expected ConfigMap",
  'lintFix.NOT_A_CONFIGMAP.kind': 'set `kind: ConfigMap`',
  'lintMessage.ROLE_ARN_HAS_PATH': '{entry} (line {line}): rolearn {arn} has a path; STS reports the role as {stripped}, so this entry never matches',
  'lintFix.ROLE_ARN_HAS_PATH': 'rolearn: {stripped}',
  'lintMessage.ROLE_ARN_IN_MAP_USERS':
    '{entry} (line {line}): {arn} is a role ARN in mapUsers; it still matches, but tools that edit aws-auth look for it in mapRoles',
  'lintFix.ROLE_ARN_IN_MAP_USERS': 'move the entry to mapRoles (rolearn:)',
  'lintMessage.SSO_PARTITION_SET':
    "{entry} (line {line}): SSO entry sets partition '{partition}'; aws-iam-authenticator 0.7.18 then matches no role at all (kubeiam matches {pattern})",
  'lintFix.SSO_PARTITION_SET.aws': 'remove the partition field',
  'lintFix.SSO_PARTITION_SET.other': 'map the roles with rolearn entries for this partition',
  'lintMessage.TAB_INDENT': '{key} line {line} is indented with a tab, which YAML does not allow, so {key} fails to load',
  'lintFix.TAB_INDENT': 'indent with spaces only',
  'lintMessage.TEMPLATE_NO_SESSION': '{entry} (line {line}): {placeholder} renders from the role session name, which IAM users do not have',
  'lintFix.TEMPLATE_NO_SESSION': 'use a fixed username for IAM users',
  'lintMessage.TEMPLATE_UNKNOWN': "{entry} (line {line}): {placeholder} in '{value}' is not a known placeholder and stays as written",
  'lintFix.TEMPLATE_UNKNOWN': 'use one of {placeholders}',
  'lintMessage.TEMPLATE_UNQUOTED': '{key} line {line}: the unquoted template {value} is read as a YAML mapping, so the whole {key} key fails to load',
  'lintFix.TEMPLATE_UNQUOTED': 'quote it: {quoted}',
  'lintMessage.USERNAME_RESERVED':
    "{entry} (line {line}): username '{username}' starts with the reserved prefix '{prefix}'; EKS access entries reject it and authenticators configured with reserved prefixes deny it",
  'lintFix.USERNAME_RESERVED': 'choose a username without system:, eks:, aws:, amazon: or iam:',
  'lintMessage.USER_ARN_CASE_DUPLICATE':
    '{entry} (line {line}) ({arn}) and {by} (line {byLine}) ({byArn}) differ only in case; aws-iam-authenticator picks either one at random, kubeiam uses {by} (line {byLine})',
  'lintFix.USER_ARN_CASE_DUPLICATE': 'delete {entry} (line {line})',
  'lintMessage.USER_ARN_IN_MAP_ROLES':
    '{entry} (line {line}): {arn} is not a role ARN in mapRoles; it still matches, but tools that edit aws-auth look for it in mapUsers',
  'lintFix.USER_ARN_IN_MAP_ROLES': 'move the entry to mapUsers (userarn:)',
  'lintMessage.VALUE_NOT_STRING': '{key}[{index}].{path} at line {line} is {actual}, not a {expected}, so it loads empty',
  'lintFix.VALUE_NOT_STRING': 'write {path} as a {expected}',
  'lintFix.VALUE_NOT_STRING.scalar': 'quote it: "{value}"',
  'lintMessage.YAML_SYNTAX': 'the document failed to parse at line {line}: {error}',
  'lintFix.YAML_SYNTAX': 'correct line {line}',

  'lintTerm.arnReason.prefix': "arn '{arn}' is invalid: 'arn: invalid prefix'",
  'lintTerm.arnReason.sections': "arn '{arn}' is invalid: 'arn: not enough sections'",
  'lintTerm.arnReason.partition': "arn '{arn}' does not have a recognized partition",
  'lintTerm.arnReason.assumedRole': "assumed-role arn '{arn}' does not have a role",
  'lintTerm.arnReason.resource': 'unrecognized resource {resource} for service {service}',
  'lintTerm.arnReason.service': 'service {service} in arn {arn} is not a valid service for identities',
  'lintTerm.arnReason.account': "account ID '{accountId}' is not 12 digits",
  'lintTerm.arnReason.name': "name '{name}' must be 1 to 64 of the characters A-Z a-z 0-9 + = , . @ _ -",
  'lintTerm.recordError.ROLE_TARGET_MISSING': 'one of rolearn or SSO must be supplied',
  'lintTerm.recordError.ROLE_TARGET_AMBIGUOUS': 'only one of rolearn or SSO can be supplied',
  'lintTerm.recordError.SSO_ACCOUNT_INVALID': "AccountID '{accountId}' is not a valid AWS Account ID",
  'lintTerm.recordError.SSO_PERMISSION_SET_INVALID': "PermissionSetName '{permissionSetName}' is not a valid AWS SSO PermissionSet Name",
  'lintTerm.recordError.SSO_PARTITION_INVALID': "partition '{partition}' is not a valid AWS partition",
  'lintTerm.recordError.SSO_PATTERN_INVALID': '{recordMessage}',
  'lintTerm.recordError.USER_ARN_MISSING': 'value for userarn must be supplied',
  'lintTerm.value.bool': 'the boolean {value} (YAML 1.1 reads yes/no/on/off/y/n as booleans)',
  'lintTerm.value.number': 'the number {value}',
  'lintTerm.value.map': 'a mapping',
  'lintTerm.value.seq': 'a list',
  'lintTerm.value.scalar': "'{value}'",
  'lintTerm.dataValue.boolean': 'a boolean',
  'lintTerm.dataValue.number': 'a number',
  'lintTerm.type.string': 'string',
  'lintTerm.type.stringList': 'list of strings',
  'lintTerm.type.mappingList': 'list of mappings',
  'lintTerm.type.mapping': 'mapping',

  'editWarning.CONFIGMAP_TOO_LARGE': 'the aws-auth data is now {bytes} bytes, over the 1048576 bytes (1 MiB) the API server accepts for a ConfigMap, so applying it fails; to fit, map roles through groups or SSO patterns instead of one entry per identity, or move identities to EKS access entries (kubeiam migrate plan)',
  'editWarning.USERNAME_RESERVED': "username '{username}' starts with the reserved prefix '{prefix}'; EKS access entries reject it",
  'editWarning.ARN_CASE_DIFFERS': '{entry} (line {line}) spells the ARN {configured}; it matches {arn} because the comparison ignores case',
  'editWarning.ENTRY_SHADOWED': '{shadowed} (line {shadowedLine}) maps the same ARN and stays shadowed by {entry} (line {line})',

  'iamWarning.NOT_CHECKABLE.root': 'IAM has no GetUser or GetRole for the root user; {arn} is used as given',
  'iamWarning.NOT_CHECKABLE.federated': 'IAM has no GetUser or GetRole for a federated user; {arn} is used as given',
  'iamWarning.ASSUMED_ROLE_ARN': '{arn} is an STS session ARN; aws-auth maps the role {roleArn}',
  'iamWarning.OTHER_ACCOUNT.caller':
    "{arn} is in account {account} but the credentials are for account {callerAccount}; IAM can only check principals of the caller's account",
  'iamWarning.OTHER_ACCOUNT.found':
    '{arn} is in account {account}, but IAM returned a principal of account {foundAccount}; check with credentials of account {account}',
  'iamWarning.ROLE_PATH_DROPPED':
    'role {real} has a path; aws-auth must name it {stripped} because STS reports assumed roles without the path (EKS access entries take the full ARN)',
  'iamWarning.ARN_PATH_DIFFERS': '{given} does not match the ARN IAM reports, {real}',
} as const;
