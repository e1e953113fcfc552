import { describe, expect, it } from 'vitest';
import { apiVersionFromExecInfo, formatExecCredential, goJsonString } from './execCredential.js';

const expiration = new Date('2012-11-01T22:08:41Z');
const v1beta1 = 'client.authentication.k8s.io/v1beta1';
const v1 = 'client.authentication.k8s.io/v1';

describe('formatExecCredential', () => {
  it('prints the exact reference layout', () => {
    expect(formatExecCredential({ token: 'token', expiration })).toBe(
      '{"kind":"ExecCredential","apiVersion":"client.authentication.k8s.io/v1beta1","spec":{},' +
        '"status":{"expirationTimestamp":"2012-11-01T22:08:41Z","token":"token"}}\n',
    );
  });

  // aws-iam-authenticator's TestFormatJson.
  it.each([
    [undefined, v1beta1],
    ['', v1beta1],
    [`{"apiVersion":"${v1beta1}","kind":"ExecCredential","spec":{"interactive":false}}`, v1beta1],
    [`{"apiVersion":"${v1}","kind":"ExecCredential","spec":{"interactive":false}}`, v1],
  ])('picks apiVersion from %j', (execInfo, apiVersion) => {
    const parsed = JSON.parse(formatExecCredential({ token: 'token', expiration, execInfo })) as {
      kind: string;
      apiVersion: string;
      status: { token: string; expirationTimestamp: string };
    };
    expect(parsed.apiVersion).toBe(apiVersion);
    expect(parsed.kind).toBe('ExecCredential');
    expect(parsed.status.token).toBe('token');
    expect(parsed.status.expirationTimestamp).toBe('2012-11-01T22:08:41Z');
  });

  it('omits an empty apiVersion', () => {
    expect(formatExecCredential({ token: 't', expiration, execInfo: '{"kind":"ExecCredential"}' })).toBe(
      '{"kind":"ExecCredential","spec":{},"status":{"expirationTimestamp":"2012-11-01T22:08:41Z","token":"t"}}\n',
    );
  });

  it('truncates sub-seconds', () => {
    const output = formatExecCredential({ token: 't', expiration: new Date('2012-11-01T22:08:41.999Z') });
    expect(output).toContain('"expirationTimestamp":"2012-11-01T22:08:41Z"');
  });
});

describe('apiVersionFromExecInfo', () => {
  const cluster = (config: string): string =>
    `{"apiVersion":"${v1}","kind":"ExecCredential","spec":{"cluster":{"server":"https://x","config":${config}},"interactive":false}}`;

  it.each([
    ['not json', v1beta1],
    ['{"apiVersion":"custom/v9"}', 'custom/v9'],
    ['{"APIVERSION":"custom/v9"}', 'custom/v9'],
    ['{"apiversion":"a","apiVersion":"b"}', 'b'],
    ['{"apiVersion":"b","apiversion":"a"}', 'a'],
    ['{"apiVersion":null}', ''],
    ['{}', ''],
    ['[]', v1beta1],
    ['"text"', v1beta1],
    ['{"apiVersion":5}', v1beta1],
    ['{"apiVersion":"x"} trailing', v1beta1],
    ['{"spec":"x","apiVersion":"x"}', v1beta1],
    ['{"spec":{"interactive":"yes"},"apiVersion":"x"}', v1beta1],
    ['{"spec":{"response":{"code":1.5}},"apiVersion":"x"}', v1beta1],
    ['{"spec":{"response":{"code":200,"header":{"a":["b"]}}},"apiVersion":"x"}', 'x'],
    ['{"status":{"expirationTimestamp":"2012-11-01T22:08:41Z"},"apiVersion":"x"}', 'x'],
    ['{"status":{"expirationTimestamp":"yesterday"},"apiVersion":"x"}', v1beta1],
    [cluster('null'), v1],
    [cluster('{"a":1}'), v1beta1],
    [cluster('"x"'), v1beta1],
    [`{"apiVersion":"${v1}","spec":{"cluster":{"certificate-authority-data":"!!"}}}`, v1],
  ])('decodes %j', (execInfo, expected) => {
    expect(apiVersionFromExecInfo(execInfo)).toBe(expected);
  });
});

describe('goJsonString', () => {
  it.each([
    ['a<b>&c', '"a\\u003cb\\u003e\\u0026c"'],
    ['\u2028\u2029', '"\\u2028\\u2029"'],
    ['"\\\n\r\t\b\f\x01', '"\\"\\\\\\n\\r\\t\\b\\f\\u0001"'],
    ['\ud800x', '"\ufffdx"'],
    ['é😀', '"é😀"'],
  ])('encodes %j', (input, expected) => {
    expect(goJsonString(input)).toBe(expected);
  });
});
