import type { Identity } from '../arn/identity.js';

/** Builds an Identity for tests; the canonical ARN defaults to the ARN. */
export function testIdentity(fields: Partial<Identity> & { arn: string }): Identity {
  return {
    canonicalArn: fields.arn,
    accountId: '',
    userId: '',
    sessionName: '',
    accessKeyId: '',
    stsEndpoint: 'sts.amazonaws.com',
    ...fields,
  };
}
