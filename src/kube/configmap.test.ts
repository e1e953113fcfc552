import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAwsAuth } from '../awsauth/parse.js';
import { dataOfDocument, readConfigMapText, toDocumentText, toLiveConfigMap } from './configmap.js';

const LIVE = {
  metadata: { name: 'aws-auth', namespace: 'kube-system', resourceVersion: '7', uid: 'u-1', labels: { a: 'b' } },
  data: { mapRoles: '- rolearn: arn:aws:iam::111122223333:role/r\n  username: r\n' },
};

describe('toDocumentText', () => {
  it.each([
    ['block text', { mapRoles: '- rolearn: x\n  username: y\n' }],
    ['yes-like value', { flag: 'yes' }],
    ['key named __proto__', JSON.parse('{"__proto__": "kept", "mapRoles": ""}') as Record<string, string>],
    ['numeric value', { mapAccounts: '012345678901' }],
    ['trailing spaces', { note: 'line  \nnext   ' }],
    ['no final newline', { mapUsers: '- userarn: a\n  username: b' }],
    ['empty value', { mapRoles: '' }],
    ['leading indentation', { mapRoles: '  - rolearn: x\n' }],
    ['tab characters', { mapRoles: '\t- x\n' }],
  ])('toDocumentText round trip %s', (_name, data: Record<string, string>) => {
    const text = toDocumentText({ name: 'aws-auth', namespace: 'kube-system', data });
    expect(dataOfDocument(text)).toEqual(data);
  });

  it('toDocumentText round trip generated values', () => {
    fc.assert(fc.property(fc.dictionary(fc.stringMatching(/^[-._a-zA-Z0-9]{1,12}$/), fc.string({ unit: 'binary', maxLength: 40 })), (data) => {
      const text = toDocumentText({ name: 'aws-auth', namespace: 'kube-system', data });
      expect(dataOfDocument(text)).toEqual(data);
    }), { numRuns: 300 });
  });

  it('toDocumentText parses as aws-auth', () => {
    const text = toDocumentText(toLiveConfigMap(LIVE));
    const parsed = parseAwsAuth(text, { sourceName: 'kube-system/aws-auth' });
    expect(parsed.roles.map((entry) => entry.mapping.username)).toEqual(['r']);
    expect(parsed.metadata).toEqual({ name: 'aws-auth', namespace: 'kube-system' });
  });
});

describe('toLiveConfigMap', () => {
  it('toLiveConfigMap reads fields', () => {
    const live = toLiveConfigMap(LIVE);
    expect(live.resourceVersion).toBe('7');
    expect(live.labels).toEqual({ a: 'b' });
    expect(live.annotations).toEqual({});
  });

  it.each([
    ['missing metadata', { data: {} }, 'metadata'],
    ['missing resourceVersion', { metadata: { name: 'a', namespace: 'b' } }, 'metadata.resourceVersion'],
    ['number data value', { ...LIVE, data: { mapAccounts: 1 } }, 'data.mapAccounts'],
    ['list labels', { ...LIVE, metadata: { ...LIVE.metadata, labels: [] } }, 'metadata.labels'],
  ])('toLiveConfigMap rejects %s', (_name, value, field) => {
    expect(() => toLiveConfigMap(value)).toThrow(`whose ${field} is not`);
  });
});

describe('readConfigMapText', () => {
  it('readConfigMapText reads metadata and data', () => {
    const content = readConfigMapText('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: aws-auth\n  namespace: kube-system\n  labels:\n    team: x\ndata:\n  mapRoles: |\n    - rolearn: r\n');
    expect(content).toEqual({ name: 'aws-auth', namespace: 'kube-system', labels: { team: 'x' }, annotations: {}, data: { mapRoles: '- rolearn: r\n' } });
  });

  it('readConfigMapText reads a bare data map', () => {
    expect(readConfigMapText('mapUsers: "x"\n')?.data).toEqual({ mapUsers: 'x' });
  });

  it.each([
    ['number value', 'data:\n  mapAccounts: 123\n'],
    ['list value', 'data:\n  mapRoles:\n  - rolearn: x\n'],
    ['syntax error', 'data: [\n'],
  ])('readConfigMapText rejects %s', (_name, text) => {
    expect(readConfigMapText(text)).toBeUndefined();
  });
});
