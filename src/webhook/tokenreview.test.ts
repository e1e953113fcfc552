import { describe, expect, it } from 'vitest';
import { decodeTokenReview, DENY_BODY, encodeSuccessBody, isRfc3339 } from './tokenreview.js';

const bytes = (text: string): Uint8Array => Buffer.from(text, 'utf8');

function tokenOf(body: string | Uint8Array): string {
  const result = decodeTokenReview(typeof body === 'string' ? bytes(body) : body);
  if (!result.ok) {
    throw new Error(`decode failed: ${result.reason}`);
  }
  return result.review.token;
}

function reasonOf(body: string): string {
  const result = decodeTokenReview(bytes(body));
  return result.ok ? 'decoded' : result.reason;
}

describe('decodeTokenReview', () => {
  it.each([
    [
      'v1beta1 request',
      '{"apiVersion":"authentication.k8s.io/v1beta1","kind":"TokenReview","spec":{"token":"k8s-aws-v1.abc"}}',
      'k8s-aws-v1.abc',
    ],
    [
      'v1 request with audiences',
      '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","metadata":{"creationTimestamp":null},"spec":{"token":"k8s-aws-v1.abc","audiences":["https://kubernetes.default.svc"]},"status":{}}',
      'k8s-aws-v1.abc',
    ],
    ['any apiVersion and kind', '{"apiVersion":"v9","kind":"Pod","spec":{"token":"t"}}', 't'],
    ['upper-case keys', '{"SPEC":{"TOKEN":"t"}}', 't'],
    ['mixed-case keys', '{"sPeC":{"ToKeN":"t"}}', 't'],
    ['long s folds to s', '{"\u017fpec":{"token":"t"}}', 't'],
    ['Kelvin sign folds to k', '{"spec":{"to\u212aen":"t"}}', 't'],
    ['later duplicate wins', '{"spec":{"token":"a","TOKEN":"b"}}', 'b'],
    ['duplicate struct keys merge', '{"spec":{"token":"a"},"Spec":{"audiences":[]}}', 'a'],
    ['null leaves the token', '{"spec":{"token":"a","token":null}}', 'a'],
    ['null spec leaves the struct', '{"spec":{"token":"a"},"spec":null}', 'a'],
    ['unknown fields are ignored', '{"spec":{"token":"t","extra":[1,{"a":null}],"tokens":5},"x":true}', 't'],
    ['text after the value is ignored', '{"spec":{"token":"t"}} trailing garbage', 't'],
    ['a second value is ignored', '{"spec":{"token":"t"}}{"spec":{"token":"u"}}', 't'],
    ['missing token', '{"spec":{}}', ''],
    ['missing spec', '{}', ''],
    ['top-level null', 'null', ''],
    ['token with escapes', '{"spec":{"token":"k8s-aws-v1.\\u0061b\\/c"}}', 'k8s-aws-v1.ab/c'],
    ['valid timestamps', '{"metadata":{"creationTimestamp":"2024-02-29T23:59:59.5+05:30","deletionTimestamp":"2024-01-01T00:00:00Z"},"spec":{"token":"t"}}', 't'],
    ['full metadata', '{"metadata":{"name":"n","labels":{"a":"b","c":null},"generation":-3,"deletionGracePeriodSeconds":30,"ownerReferences":[{"controller":true,"blockOwnerDeletion":null}],"finalizers":["f"],"managedFields":[{"time":"2024-01-01T00:00:00Z","fieldsV1":{"f:x":{}}}]},"spec":{"token":"t"}}', 't'],
    ['full status', '{"status":{"authenticated":true,"user":{"username":"u","groups":["g"],"extra":{"k":["v"],"e":null}},"audiences":null,"error":""},"spec":{"token":"t"}}', 't'],
  ])('%s', (_name, body, expected) => {
    expect(tokenOf(body)).toBe(expected);
  });

  it('replaces invalid UTF-8 in the token', () => {
    const body = Buffer.concat([bytes('{"spec":{"token":"a'), Buffer.from([0xff]), bytes('"}}')]);
    expect(tokenOf(body)).toBe('a\ufffd');
  });

  it.each([
    ['empty body', '', 'EOF'],
    ['whitespace', ' \n', 'EOF'],
    ['not JSON', 'not valid json', "invalid character 'o' in literal null (expecting 'u')"],
    ['truncated', '{"spec":{"token":"t"}', 'unexpected EOF'],
    ['array', '[]', 'json: cannot unmarshal array into Go value of type v1beta1.TokenReview'],
    ['string', '"k8s-aws-v1.abc"', 'json: cannot unmarshal string into Go value of type v1beta1.TokenReview'],
    ['number', '5', 'json: cannot unmarshal number into Go value of type v1beta1.TokenReview'],
    ['bool', 'true', 'json: cannot unmarshal bool into Go value of type v1beta1.TokenReview'],
    ['numeric token', '{"spec":{"token":5}}', 'json: cannot unmarshal number into Go struct field spec.token of type string'],
    ['array token', '{"spec":{"token":["t"]}}', 'json: cannot unmarshal array into Go struct field spec.token of type string'],
    ['string spec', '{"spec":"t"}', 'json: cannot unmarshal string into Go struct field spec of type v1beta1.TokenReviewSpec'],
    ['numeric kind', '{"kind":1,"spec":{"token":"t"}}', 'json: cannot unmarshal number into Go struct field kind of type string'],
    ['string audiences', '{"spec":{"token":"t","audiences":"a"}}', 'json: cannot unmarshal string into Go struct field spec.audiences of type []string'],
    ['fractional generation', '{"metadata":{"generation":1.5}}', 'json: cannot unmarshal number 1.5 into Go struct field metadata.generation of type int64'],
    ['exponent generation', '{"metadata":{"generation":1e3}}', 'json: cannot unmarshal number 1e3 into Go struct field metadata.generation of type int64'],
    ['int64 overflow', '{"metadata":{"generation":9223372036854775808}}', 'json: cannot unmarshal number 9223372036854775808 into Go struct field metadata.generation of type int64'],
    ['bad timestamp', '{"metadata":{"creationTimestamp":"yesterday"}}', 'metadata.creationTimestamp: parsing time as RFC 3339 failed'],
    ['numeric timestamp', '{"metadata":{"creationTimestamp":0}}', 'metadata.creationTimestamp: invalid syntax'],
    ['escaped slash in timestamp', '{"metadata":{"creationTimestamp":"2024\\/01"}}', 'metadata.creationTimestamp: invalid syntax'],
    ['string labels', '{"metadata":{"labels":"a=b"}}', 'json: cannot unmarshal string into Go struct field metadata.labels of type map[string]string'],
    ['numeric label value', '{"metadata":{"labels":{"a":1}}}', 'json: cannot unmarshal number into Go struct field metadata.labels of type string'],
    ['string authenticated', '{"status":{"authenticated":"yes"}}', 'json: cannot unmarshal string into Go struct field status.authenticated of type bool'],
    ['string extra value', '{"status":{"user":{"extra":{"a":"b"}}}}', 'json: cannot unmarshal string into Go struct field status.user.extra of type v1beta1.ExtraValue'],
    ['string controller', '{"metadata":{"ownerReferences":[{"controller":"yes"}]}}', 'json: cannot unmarshal string into Go struct field metadata.ownerReferences.controller of type bool'],
    ['control character', '{"spec":{"token":"a\u0001"}}', "invalid character '\\x01' in string literal"],
  ])('rejects %s', (_name, body, reason) => {
    expect(reasonOf(body)).toBe(reason);
  });
});

describe('isRfc3339', () => {
  it.each([
    ['2024-01-01T00:00:00Z', true],
    ['2024-01-01T00:00:00.123456789Z', true],
    ['2024-01-01T00:00:00,5Z', true],
    ['2024-01-01T00:00:00-07:00', true],
    ['2024-02-29T00:00:00Z', true],
    ['2023-02-29T00:00:00Z', false],
    ['2024-13-01T00:00:00Z', false],
    ['2024-01-01t00:00:00Z', false],
    ['2024-01-01T24:00:00Z', false],
    ['2024-01-01T00:00:60Z', false],
    ['2024-01-01T00:00:00z', false],
    ['2024-01-01T00:00:00+24:00', false],
    ['2024-01-01 00:00:00Z', false],
    ['2024-01-01T00:00:00', false],
  ])('%s is %s', (text, expected) => {
    expect(isRfc3339(text)).toBe(expected);
  });
});

describe('response bodies', () => {
  it('deny body matches the reference', () => {
    expect(DENY_BODY).toBe('{"metadata":{},"spec":{},"status":{"user":{}}}');
  });

  it('success body keeps Go field order and sorts extra keys', () => {
    const body = encodeSuccessBody({
      username: 'u',
      uid: 'id',
      groups: ['g1', 'g2'],
      extra: { sessionName: [''], arn: ['a'], accessKeyId: ['k'] },
    });
    expect(body).toBe(
      '{"metadata":{},"spec":{},"status":{"authenticated":true,"user":{"username":"u","uid":"id","groups":["g1","g2"],"extra":{"accessKeyId":["k"],"arn":["a"],"sessionName":[""]}}}}\n',
    );
  });

  it('success body omits empty fields', () => {
    expect(encodeSuccessBody({ username: '', uid: 'id', groups: [], extra: {} })).toBe(
      '{"metadata":{},"spec":{},"status":{"authenticated":true,"user":{"uid":"id"}}}\n',
    );
  });

  it('success body escapes like Go', () => {
    expect(encodeSuccessBody({ username: '<admin>&"x"', uid: 'id', groups: [] })).toBe(
      '{"metadata":{},"spec":{},"status":{"authenticated":true,"user":{"username":"\\u003cadmin\\u003e\\u0026\\"x\\"","uid":"id"}}}\n',
    );
  });

  it('success body parses as a TokenReview status', () => {
    const body = encodeSuccessBody({ username: 'u', uid: 'id', groups: ['g'], extra: { k: ['v'] } });
    expect(JSON.parse(body)).toEqual({
      metadata: {},
      spec: {},
      status: { authenticated: true, user: { username: 'u', uid: 'id', groups: ['g'], extra: { k: ['v'] } } },
    });
  });
});
