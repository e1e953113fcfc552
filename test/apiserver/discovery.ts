/** Discovery documents of the test API server: core v1 with configmaps, and the iamauthenticator.k8s.aws group. */
export const API_VERSIONS = {
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }],
};

export const API_RESOURCES = {
  kind: 'APIResourceList',
  groupVersion: 'v1',
  resources: [
    {
      name: 'configmaps',
      singularName: 'configmap',
      namespaced: true,
      kind: 'ConfigMap',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['cm'],
      storageVersionHash: 'qFsyl6wFWjQ=',
    },
  ],
};

const MAPPING_GROUP_VERSION = { groupVersion: 'iamauthenticator.k8s.aws/v1alpha1', version: 'v1alpha1' };

/** The API group of the IAMIdentityMapping custom resource, as `/apis/iamauthenticator.k8s.aws` returns it. */
export const MAPPING_GROUP_DOCUMENT = {
  kind: 'APIGroup',
  apiVersion: 'v1',
  name: 'iamauthenticator.k8s.aws',
  versions: [MAPPING_GROUP_VERSION],
  preferredVersion: MAPPING_GROUP_VERSION,
};

export const GROUP_LIST = { kind: 'APIGroupList', apiVersion: 'v1', groups: [{ name: MAPPING_GROUP_DOCUMENT.name, versions: MAPPING_GROUP_DOCUMENT.versions, preferredVersion: MAPPING_GROUP_VERSION }] };

/** The resources of `iamauthenticator.k8s.aws/v1alpha1`: the cluster-scoped mappings and their status subresource. */
export const MAPPING_RESOURCES = {
  kind: 'APIResourceList',
  apiVersion: 'v1',
  groupVersion: 'iamauthenticator.k8s.aws/v1alpha1',
  resources: [
    {
      name: 'iamidentitymappings',
      singularName: 'iamidentitymapping',
      namespaced: false,
      kind: 'IAMIdentityMapping',
      verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'],
    },
    { name: 'iamidentitymappings/status', singularName: '', namespaced: false, kind: 'IAMIdentityMapping', verbs: ['get', 'patch', 'update'] },
  ],
};

export const VERSION_INFO = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kubeiam-test-apiserver',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
};

/** A Namespace object; the test API server treats every namespace as existing and active. */
export function namespaceObject(name: string): unknown {
  return {
    kind: 'Namespace',
    apiVersion: 'v1',
    metadata: { name, uid: `00000000-0000-4000-8000-${Buffer.from(name).toString('hex').padEnd(12, '0').slice(0, 12)}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' },
    spec: { finalizers: ['kubernetes'] },
    status: { phase: 'Active' },
  };
}

const MAPPING_OPENAPI_PATH = 'apis/iamauthenticator.k8s.aws/v1alpha1';

/**
 * The OpenAPI v3 root, listing only the IAMIdentityMapping group. kubectl's default `--validate=strict`
 * reads it to learn that the server accepts `fieldValidation`, so `kubectl apply` of a mapping needs
 * no `--validate=false`. ConfigMaps are not listed, so kubectl still validates them client-side
 * from OpenAPI v2, which this server does not serve.
 */
export const OPENAPI_V3_ROOT = { paths: { [MAPPING_OPENAPI_PATH]: { serverRelativeURL: `/openapi/v3/${MAPPING_OPENAPI_PATH}?hash=0` } } };
export const OPENAPI_V3_MAPPING_PATH = `/openapi/v3/${MAPPING_OPENAPI_PATH}`;

const GVK_EXTENSION = { 'x-kubernetes-group-version-kind': { group: 'iamauthenticator.k8s.aws', version: 'v1alpha1', kind: 'IAMIdentityMapping' } };
const FIELD_VALIDATION = { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } };

/** The OpenAPI v3 document of `iamauthenticator.k8s.aws/v1alpha1`: the operations that accept `fieldValidation`. */
export const OPENAPI_V3_MAPPINGS = {
  openapi: '3.0.0',
  info: { title: 'Kubernetes CRD Swagger', version: 'v0.1.0' },
  paths: {
    '/apis/iamauthenticator.k8s.aws/v1alpha1/iamidentitymappings': {
      post: { ...GVK_EXTENSION, parameters: [FIELD_VALIDATION], responses: {} },
    },
    '/apis/iamauthenticator.k8s.aws/v1alpha1/iamidentitymappings/{name}': {
      put: { ...GVK_EXTENSION, parameters: [FIELD_VALIDATION], responses: {} },
      patch: { ...GVK_EXTENSION, parameters: [FIELD_VALIDATION], responses: {} },
    },
  },
  components: { schemas: {} },
};
