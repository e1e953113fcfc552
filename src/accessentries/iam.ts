import { GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { parsePrincipal } from '../arn/index.js';
import type { AwsCredentials } from '../credentials/types.js';
import { KubeiamError } from '../errors.js';
import { principalName } from './rules.js';

/** An IAM user or role as IAM reports it now. */
export interface IamPrincipal {
  /** The ARN with its path. */
  readonly arn: string;
  /** The unique ID (`AROA…`, `AIDA…`). */
  readonly id: string;
  readonly createDate?: Date;
}

/** Looks up a user or role by the name in an ARN; undefined when IAM has no such principal. */
export type PrincipalLookup = (arn: string) => Promise<IamPrincipal | undefined>;

export interface IamClientOptions {
  readonly region: string;
  readonly credentials?: AwsCredentials;
  readonly endpoint?: string;
  readonly maxAttempts?: number;
}

/**
 * Creates a lookup through IAM GetRole/GetUser. The name is taken from the ARN, so a role given
 * without its path (as aws-auth writes it) is found with the path IAM stores.
 */
export function createIamLookup(options: IamClientOptions): PrincipalLookup {
  const client = new IAMClient({
    region: options.region,
    maxAttempts: options.maxAttempts ?? 3,
    ...(options.credentials ? { credentials: options.credentials } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  return async (arn) => {
    const principal = parsePrincipal(arn);
    const name = principalName(principal.canonicalArn);
    try {
      if (principal.type === 'USER') {
        const user = (await client.send(new GetUserCommand({ UserName: name }))).User;
        return user?.Arn ? { arn: user.Arn, id: user.UserId ?? '', ...(user.CreateDate ? { createDate: user.CreateDate } : {}) } : undefined;
      }
      const role = (await client.send(new GetRoleCommand({ RoleName: name }))).Role;
      return role?.Arn ? { arn: role.Arn, id: role.RoleId ?? '', ...(role.CreateDate ? { createDate: role.CreateDate } : {}) } : undefined;
    } catch (error) {
      if (error instanceof Error && error.name === 'NoSuchEntityException') return undefined;
      if (error instanceof Error && error.name === 'NoSuchEntity') return undefined;
      const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      throw new KubeiamError('IAM_CALL_FAILED', `IAM lookup of ${arn} failed: ${message}`, { arn });
    }
  };
}
