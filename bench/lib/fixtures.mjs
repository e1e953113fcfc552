// Deterministic fake identities, emulator seeds, aws-auth documents and tokens for benchmarks.
// The keys are made up and only ever sent to servers on 127.0.0.1.
import { createHash } from 'node:crypto';
import { presignGetCallerIdentity } from '../../dist/token/index.js';

export const ACCOUNT_ID = '111122223333';
export const CLUSTER_ID = 'bench';
export const REGION = 'us-east-1';

/** User `index` of the bench account, with a made-up key pair the emulator seed registers. */
export function benchUser(index) {
  const name = `bench-user-${index}`;
  const secret = createHash('sha256').update(`kubeiam-bench-${index}`).digest('base64').replace(/=+$/, '').slice(0, 40);
  return {
    name,
    arn: `arn:aws:iam::${ACCOUNT_ID}:user/${name}`,
    credentials: { accessKeyId: `AKIABENCH${String(index).padStart(11, '0')}`, secretAccessKey: secret },
  };
}

/** Builds an emulator seed (the `kubeiam emulator --seed` format) with these users. */
export function seedFor(users) {
  return {
    accounts: [{ id: ACCOUNT_ID }],
    users: users.map((user) => ({ name: user.name, accessKeys: [{ id: user.credentials.accessKeyId, secret: user.credentials.secretAccessKey }] })),
    roles: [],
  };
}

/** Builds an aws-auth ConfigMap that maps every user to its own name in the `bench-readers` group. */
export function awsAuthForUsers(users) {
  const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: aws-auth', '  namespace: kube-system', 'data:', '  mapUsers: |'];
  for (const user of users) {
    lines.push(`    - userarn: ${user.arn}`, `      username: ${user.name}`, '      groups:', '        - bench-readers');
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Generates an aws-auth ConfigMap with `count` entries: two thirds roles, one third users, and a
 * `{{SessionName}}` template in every tenth role, the shapes real clusters contain.
 */
export function generatedAwsAuth(count) {
  const roles = [];
  const users = [];
  for (let index = 0; index < count; index++) {
    if (index % 3 === 2) {
      users.push(`    - userarn: arn:aws:iam::${ACCOUNT_ID}:user/team/user-${index}`, `      username: user-${index}`, '      groups:', '        - developers');
      continue;
    }
    const username = index % 10 === 0 ? `"role-${index}:{{SessionName}}"` : `role-${index}`;
    roles.push(`    - rolearn: arn:aws:iam::${ACCOUNT_ID}:role/role-${index}`, `      username: ${username}`, '      groups:', '        - system:masters', '        - viewers');
  }
  const header = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: aws-auth', '  namespace: kube-system', 'data:'];
  return `${[...header, '  mapRoles: |', ...roles, '  mapUsers: |', ...users].join('\n')}\n`;
}

/**
 * Presigns distinct tokens: one per user and signing second, going back from `now`, so no two
 * requests of a run share a token (a verified-token cache cannot serve them).
 */
export async function distinctTokens(users, count, now = new Date()) {
  const tokens = [];
  for (let offset = 0; tokens.length < count; offset++) {
    const signedAt = new Date(now.getTime() - offset * 1000);
    for (const user of users) {
      if (tokens.length >= count) break;
      const presigned = await presignGetCallerIdentity({ credentials: user.credentials, region: REGION, clusterId: CLUSTER_ID, now: signedAt });
      tokens.push(presigned);
    }
  }
  return tokens;
}
