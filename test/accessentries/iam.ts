import { CreateRoleCommand, CreateUserCommand, DeleteRoleCommand, GetRoleCommand, GetUserCommand, IAMClient } from '@aws-sdk/client-iam';
import type { PrincipalResolver } from '../eks-endpoint/model.js';
import { FAKE_CREDENTIALS } from './support.js';

const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

/** IAM on moto, for creating principals and for the endpoint's principal lookups. */
export class MotoIam {
  readonly client: IAMClient;

  constructor(url: string) {
    this.client = new IAMClient({ region: 'us-east-1', endpoint: url, credentials: FAKE_CREDENTIALS, maxAttempts: 1 });
  }

  /** Creates a role (path like `/team/`) and returns its ARN. */
  async role(name: string, path = '/'): Promise<string> {
    const role = await this.client.send(new CreateRoleCommand({ RoleName: name, Path: path, AssumeRolePolicyDocument: TRUST }));
    return role.Role?.Arn ?? '';
  }

  async user(name: string): Promise<string> {
    const user = await this.client.send(new CreateUserCommand({ UserName: name }));
    return user.User?.Arn ?? '';
  }

  async deleteRole(name: string): Promise<void> {
    await this.client.send(new DeleteRoleCommand({ RoleName: name }));
  }

  /** Resolves an ARN to the principal's unique ID as EKS does: the ARN must be the exact one IAM stores. */
  readonly resolver: PrincipalResolver = async (arn) => {
    const name = arn.split('/').at(-1) ?? '';
    try {
      if (arn.includes(':user/')) {
        const user = (await this.client.send(new GetUserCommand({ UserName: name }))).User;
        return user?.Arn === arn ? user.UserId : undefined;
      }
      const role = (await this.client.send(new GetRoleCommand({ RoleName: name }))).Role;
      return role?.Arn === arn ? role.RoleId : undefined;
    } catch {
      return undefined;
    }
  };
}
