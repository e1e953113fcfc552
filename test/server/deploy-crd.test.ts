import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { IAM_IDENTITY_MAPPING_GROUP, IAM_IDENTITY_MAPPING_KIND, IAM_IDENTITY_MAPPING_PLURAL, IAM_IDENTITY_MAPPING_VERSION } from '../../src/kube/iamidentitymapping.js';

interface Document {
  readonly kind: string;
  readonly metadata: { readonly name: string };
  readonly [field: string]: unknown;
}

const text = readFileSync(fileURLToPath(new URL('../../deploy/iamidentitymapping.yaml', import.meta.url)), 'utf8');
const documents = parseAllDocuments(text).map((document) => {
  expect(document.errors).toEqual([]);
  return document.toJS() as Document;
});

function find(kind: string): Document {
  const document = documents.find((candidate) => candidate.kind === kind);
  if (document === undefined) throw new Error(`deploy/iamidentitymapping.yaml has no ${kind}`);
  return document;
}

describe('IAMIdentityMapping deploy manifest', () => {
  it('CRD names the resource the backend reads', () => {
    const spec = find('CustomResourceDefinition')['spec'] as { group: string; scope: string; names: { plural: string; kind: string }; versions: { name: string }[] };
    expect(spec.group).toBe(IAM_IDENTITY_MAPPING_GROUP);
    expect(spec.scope).toBe('Cluster');
    expect(spec.names.plural).toBe(IAM_IDENTITY_MAPPING_PLURAL);
    expect(spec.names.kind).toBe(IAM_IDENTITY_MAPPING_KIND);
    expect(spec.versions.map((version) => version.name)).toEqual([IAM_IDENTITY_MAPPING_VERSION]);
  });

  it('CRD has the status subresource', () => {
    const versions = (find('CustomResourceDefinition')['spec'] as { versions: { subresources?: { status?: unknown } }[] }).versions;
    expect(versions[0]?.subresources?.status).toEqual({});
  });

  it('CRD schema types spec and status', () => {
    const versions = (find('CustomResourceDefinition')['spec'] as { versions: { schema: { openAPIV3Schema: { properties: Record<string, { properties: Record<string, { type: string }> }> } } }[] }).versions;
    const properties = versions[0]?.schema.openAPIV3Schema.properties ?? {};
    expect(properties['spec']?.properties['arn']?.type).toBe('string');
    expect(properties['spec']?.properties['username']?.type).toBe('string');
    expect(properties['spec']?.properties['groups']?.type).toBe('array');
    expect(properties['status']?.properties['canonicalARN']?.type).toBe('string');
  });

  it('ClusterRole grants what the backend calls', () => {
    const rules = find('ClusterRole')['rules'] as { resources: string[]; verbs: string[] }[];
    const verbsOf = (resource: string): string[] => rules.filter((rule) => rule.resources.includes(resource)).flatMap((rule) => rule.verbs);
    expect(verbsOf('iamidentitymappings')).toEqual(['get', 'list', 'watch']);
    expect(verbsOf('iamidentitymappings/status')).toContain('update');
    expect(verbsOf('events')).toContain('create');
  });

  it('binding names the service account', () => {
    const binding = find('ClusterRoleBinding') as unknown as { roleRef: { name: string }; subjects: { name: string; namespace: string }[] };
    expect(binding.roleRef.name).toBe(find('ClusterRole').metadata.name);
    expect(binding.subjects).toEqual([{ kind: 'ServiceAccount', name: find('ServiceAccount').metadata.name, namespace: 'kube-system' }]);
  });
});
