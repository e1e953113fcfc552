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

  it('matches a diff of the whole texts', () => {
    const text = fc.array(fc.constantFrom('a', 'b', 'c', ''), { maxLength: 12 }).chain((lines) =>
      fc.boolean().map((finalBreak) => (lines.length === 0 ? '' : lines.join('\n') + (finalBreak ? '\n' : ''))),
    );
    fc.assert(
      fc.property(text, text, text, fc.nat({ max: 4 }), (prefix, before, after, context) => {
        const joined = (rest: string) => (prefix === '' || prefix.endsWith('\n') ? prefix : `${prefix}\n`) + rest;
        expect(unifiedDiff(joined(before), joined(after), { context })).toBe(wholeTextDiff(joined(before), joined(after), context));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('unifiedDiff on long texts', () => {
  it('matches a diff of the whole texts', () => {
    const long = Array.from({ length: 3000 }, (_, index) => `    - line ${index}`).join('\n');
    fc.assert(
      fc.property(fc.nat({ max: long.length }), fc.constantFrom('', 'x', '\n', 'x\n'), (cut, insert) => {
        const before = `${long}\n`;
        const after = `${long.slice(0, cut)}${insert}${long.slice(cut)}\n`;
        expect(unifiedDiff(before, after)).toBe(wholeTextDiff(before, after, 3));
      }),
      { numRuns: 100 },
    );
  });
});

/** Diffs every line of both texts, with no shortcut for common leading lines: the reference output. */
function wholeTextDiff(before: string, after: string, context: number): string {
  if (before === after) return '';
  const split = (text: string) => {
    if (text === '') return [];
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    else lines[lines.length - 1] = `${lines.at(-1) ?? ''}\n\\ No newline at end of file`;
    return lines;
  };
  const script = diffLines(split(before), split(after));
  const changed = script.flatMap((line, index) => (line.type === ' ' ? [] : [index]));
  const hunks: { start: number; end: number }[] = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(script.length, index + context + 1);
    const last = hunks.at(-1);
    if (last !== undefined && start <= last.end) last.end = end;
    else hunks.push({ start, end });
  }
  const out = ['--- a', '+++ b'];
  for (const hunk of hunks) {
    const head = script.slice(0, hunk.start);
    const lines = script.slice(hunk.start, hunk.end);
    const oldStart = head.filter((line) => line.type !== '+').length + 1;
    const newStart = head.filter((line) => line.type !== '-').length + 1;
    const oldCount = lines.filter((line) => line.type !== '+').length;
    const newCount = lines.filter((line) => line.type !== '-').length;
    const range = (start: number, count: number) => {
      if (count === 0) return `${start - 1},0`;
      return count === 1 ? `${start}` : `${start},${count}`;
    };
    out.push(`@@ -${range(oldStart, oldCount)} +${range(newStart, newCount)} @@`, ...lines.map((line) => `${line.type}${line.text}`));
  }
  return `${out.join('\n')}\n`;
}
