/**
 * The STS GetCallerIdentity JSON response, decoded with Go's rules because aws-iam-authenticator
 * decodes it with `encoding/json`: keys match case-insensitively, the last duplicate wins, and a
 * non-string value is an error.
 */
import { stsError } from '../token/errors.js';
import { decodeGoStruct, type GoStruct, type GoType } from './goDecode.js';
import { GoJsonError, parseGoJson } from './goJson.js';

/** The caller fields of a GetCallerIdentity response, '' where STS sent none. */
export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

const STRING: GoType = { kind: 'string' };

// NOTE: assumes the reference declares the nested structs inline (unnamed), as recalled from its
// source; named structs would appear by name in Go's type-error messages.
const RESPONSE_TYPE = {
  kind: 'struct',
  name: 'getCallerIdentityWrapper',
  fields: {
    GetCallerIdentityResponse: {
      kind: 'struct',
      name: '',
      fields: {
        GetCallerIdentityResult: { kind: 'struct', name: '', fields: { Account: STRING, Arn: STRING, UserId: STRING } },
        ResponseMetadata: { kind: 'struct', name: '', fields: { RequestId: STRING } },
      },
    },
  },
} as const satisfies GoType;

/** Decodes the body of a 200 response, or throws an STS error with Go's JSON message when it is invalid. */
export function parseGetCallerIdentityResponse(body: string): CallerIdentity {
  let decoded: GoStruct;
  try {
    const result = decodeGoStruct(parseGoJson(body), RESPONSE_TYPE, 'token.getCallerIdentityWrapper');
    if (result.error !== undefined) throw stsError(result.error);
    decoded = result.value;
  } catch (error) {
    if (error instanceof GoJsonError) throw stsError(error.message);
    throw error;
  }

  const response = decoded['GetCallerIdentityResponse'] as GoStruct;
  const result = response['GetCallerIdentityResult'] as GoStruct;
  return {
    account: String(result['Account']),
    arn: String(result['Arn']),
    userId: String(result['UserId']),
  };
}
