import { describe, expect, it } from 'vitest';

// The package's main entry as consumers import it: the built dist/index.js (`npm test` builds first).
const library = (await import(new URL('../../dist/index.js', import.meta.url).href)) as Record<string, unknown>;

describe('library exports', () => {
  it.each([
    'canonicalize',
    'parseToken',
    'presignGetCallerIdentity',
    'TokenVerifier',
    'parseAwsAuth',
    'lintAwsAuth',
    'addUser',
    'mapIdentity',
    'explainIdentity',
    'startStsEmulator',
    'createWebhook',
    'run',
    'updateAwsAuth',
    'lookupPrincipal',
    'planMigration',
    'loadServerConfig',
  ])('exports %s', (name) => {
    expect(typeof library[name]).toBe('function');
  });

  it('has no default export', () => {
    expect(library.default).toBeUndefined();
  });

  it('canonicalizes like the CLI', () => {
    const canonicalize = library.canonicalize as (arn: string) => string;
    expect(canonicalize('arn:aws:sts::111122223333:assumed-role/cluster_creator/test')).toBe(
      'arn:aws:iam::111122223333:role/cluster_creator',
    );
  });
});
