import { describe, expect, it } from 'vitest';
import { TokenError } from '../token/errors.js';
import { parseGetCallerIdentityResponse } from './response.js';

const wrap = (result: string): string => `{"GetCallerIdentityResponse":{"GetCallerIdentityResult":${result}}}`;
const alice = '{"Account":"123456789012","Arn":"arn:aws:iam::123456789012:user/Alice","UserId":"Alice"}';

describe('parseGetCallerIdentityResponse', () => {
  it('reads the reference answer', () => {
    const body = `{"GetCallerIdentityResponse":{"GetCallerIdentityResult":${alice},"ResponseMetadata":{"RequestId":""}}}`;
    expect(parseGetCallerIdentityResponse(body)).toEqual({
      account: '123456789012',
      arn: 'arn:aws:iam::123456789012:user/Alice',
      userId: 'Alice',
    });
  });

  it.each([
    ['lower-case keys', '{"getcalleridentityresponse":{"getcalleridentityresult":{"arn":"A","account":"1","userid":"U"}}}', { arn: 'A', account: '1', userId: 'U' }],
    ['long s', '{"GetCallerIdentityRe\u017fponse":{"GetCallerIdentityResult":{"U\u017ferId":"U"}}}', { arn: '', account: '', userId: 'U' }],
    ['Kelvin sign', '{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Arn":"A"}},"x\u212a":1}', { arn: 'A', account: '', userId: '' }],
    ['last duplicate', wrap('{"Arn":"first","arn":"second","ARN":"third"}'), { arn: 'third', account: '', userId: '' }],
    ['exact before folded', wrap('{"arn":"folded","Arn":"exact"}'), { arn: 'exact', account: '', userId: '' }],
    ['later folded', wrap('{"Arn":"exact","arn":"folded"}'), { arn: 'folded', account: '', userId: '' }],
    ['unknown keys', wrap('{"Arn":"A","Other":[1,{"x":2}]}'), { arn: 'A', account: '', userId: '' }],
    ['null value', wrap('{"Arn":"A","Arn":null}'), { arn: 'A', account: '', userId: '' }],
    ['missing fields', '{}', { arn: '', account: '', userId: '' }],
    ['null result', '{"GetCallerIdentityResponse":null}', { arn: '', account: '', userId: '' }],
    [
      'merged duplicates',
      '{"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"Arn":"A"}},"GetCallerIdentityResponse":{"GetCallerIdentityResult":{"UserId":"U"}}}',
      { arn: 'A', account: '', userId: 'U' },
    ],
    ['dotless i stays distinct', wrap('{"Arn":"A","U\u0131erId":"x","UserId\u0130":"y"}'), { arn: 'A', account: '', userId: '' }],
  ])('decodes %s', (_name, body, expected) => {
    expect(parseGetCallerIdentityResponse(body)).toEqual(expected);
  });

  it.each([
    ['xxxx', "sts getCallerIdentity failed: invalid character 'x' looking for beginning of value"],
    ['<GetCallerIdentityResponse/>', "sts getCallerIdentity failed: invalid character '<' looking for beginning of value"],
    ['', 'sts getCallerIdentity failed: unexpected end of JSON input'],
    [
      wrap('{"Arn":5}'),
      'sts getCallerIdentity failed: json: cannot unmarshal number into Go struct field .GetCallerIdentityResponse.GetCallerIdentityResult.Arn of type string',
    ],
    [
      wrap('{"Arn":5,"Arn":"ok"}'),
      'sts getCallerIdentity failed: json: cannot unmarshal number into Go struct field .GetCallerIdentityResponse.GetCallerIdentityResult.Arn of type string',
    ],
    [
      wrap('{"UserId":true}'),
      'sts getCallerIdentity failed: json: cannot unmarshal bool into Go struct field .GetCallerIdentityResponse.GetCallerIdentityResult.UserId of type string',
    ],
    [
      wrap('{"Account":{}}'),
      'sts getCallerIdentity failed: json: cannot unmarshal object into Go struct field .GetCallerIdentityResponse.GetCallerIdentityResult.Account of type string',
    ],
    ['[]', 'sts getCallerIdentity failed: json: cannot unmarshal array into Go value of type token.getCallerIdentityWrapper'],
  ])('rejects %j', (body, message) => {
    expect(() => parseGetCallerIdentityResponse(body)).toThrow(TokenError);
    expect(() => parseGetCallerIdentityResponse(body)).toThrow(message);
  });

  it('reports STS errors with the STS code', () => {
    expect(() => parseGetCallerIdentityResponse('x')).toThrow(expect.objectContaining({ code: 'STS_ERROR' }));
  });
});
