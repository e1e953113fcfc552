import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffLines, unifiedDiff } from './diff.js';

function apply(script: ReturnType<typeof diffLines>, side: '-' | '+'): string[] {
  return script.filter((line) => line.type === ' ' || line.type === side).map((line) => line.text);
}

describe('diffLines', () => {
  it('rebuilds both sides', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd')), fc.array(fc.constantFrom('a', 'b', 'c', 'd')), (before, after) => {
        const script = diffLines(before, after);
        expect(apply(script, '-')).toEqual(before);
        expect(apply(script, '+')).toEqual(after);
      }),
    );
  });

  it('keeps the common subsequence', () => {
    const script = diffLines(['a', 'b', 'c', 'a', 'b', 'b', 'a'], ['c', 'b', 'a', 'b', 'a', 'c']);
    expect(script.filter((line) => line.type === ' ')).toHaveLength(4);
  });
});

describe('unifiedDiff', () => {
  it('equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n')).toBe('');
  });

  it('one changed line with context', () => {
    const before = '1\n2\n3\n4\n5\n6\n7\n8\n';
    const after = '1\n2\n3\n4\nfive\n6\n7\n8\n';
    expect(unifiedDiff(before, after, { fromName: 'aws-auth.yaml', toName: 'aws-auth.yaml (new)' })).toBe(
      '--- aws-auth.yaml\n+++ aws-auth.yaml (new)\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n',
    );
  });

  it('separate hunks', () => {
    const before = Array.from({ length: 20 }, (_, i) => `${i + 1}`).join('\n') + '\n';
    const after = before.replace('2\n', 'two\n').replace('19\n', 'nineteen\n');
    const hunks = unifiedDiff(before, after).split('\n').filter((line) => line.startsWith('@@'));
    expect(hunks).toEqual(['@@ -1,5 +1,5 @@', '@@ -16,5 +16,5 @@']);
  });

  it('added lines at the end', () => {
    expect(unifiedDiff('a\n', 'a\nb\n')).toBe('--- a\n+++ b\n@@ -1 +1,2 @@\n a\n+b\n');
  });

  it('empty old text', () => {
    expect(unifiedDiff('', 'a\n')).toBe('--- a\n+++ b\n@@ -0,0 +1 @@\n+a\n');
  });

  it('missing final newline', () => {
    expect(unifiedDiff('a', 'a\n')).toBe('--- a\n+++ b\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n');
  });
});
