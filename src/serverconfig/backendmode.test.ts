import { describe, expect, it } from 'vitest';
import { validateBackendModes } from './backendmode.js';

describe('validateBackendModes', () => {
  it.each([
    ['MountedFile, EKSConfigMap, CRD', ['MountedFile', 'EKSConfigMap', 'CRD'], ['MountedFile', 'EKSConfigMap', 'CRD']],
    ['deprecated File, ConfigMap', ['File', 'ConfigMap'], ['MountedFile', 'EKSConfigMap']],
    ['kubeiam AwsAuthFile', ['AwsAuthFile', 'DynamicFile'], ['AwsAuthFile', 'DynamicFile']],
  ])('validateBackendModes accepts %s', (_name, input, expected) => {
    expect(validateBackendModes(input).modes).toEqual(expected);
  });

  it.each([
    ['ModeFoo', ['ModeFoo'], 'backend-mode "ModeFoo" is not a valid mode'],
    ['empty list', [], 'at least one backend-mode must be specified'],
    ['duplicates', ['MountedFile', 'MountedFile'], 'backend-mode ["MountedFile" "MountedFile"] has duplicates'],
    ['alias duplicate', ['File', 'MountedFile'], 'backend-mode ["File" "MountedFile"] has duplicates'],
    ['wrong case', ['mountedfile'], 'backend-mode "mountedfile" is not a valid mode'],
  ])('validateBackendModes rejects %s', (_name, input, message) => {
    expect(() => validateBackendModes(input)).toThrow(message);
  });

  it('validateBackendModes warns for aliases', () => {
    expect(validateBackendModes(['File']).warnings).toEqual(['warning: backend-mode "File" is deprecated, use "MountedFile" instead']);
  });
});
