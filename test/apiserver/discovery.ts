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
