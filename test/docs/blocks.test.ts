import { describe, expect, it } from 'vitest';
import { testedBlocks } from './blocks.js';

const fence = '```';

describe('testedBlocks', () => {
  it('reads script, exit code and expected text', () => {
    const page = `text\n<!-- tested exit=3 contains="a b" contains=c -->\n${fence}sh\necho one\necho two\n${fence}\n`;
    const [block] = testedBlocks(page);

    expect(block?.line).toBe(2);
    expect(block?.script).toBe('echo one\necho two');
    expect(block?.exitCode).toBe(3);
    expect(block?.contains).toEqual(['a b', 'c']);
  });

  it('unescapes quotes in values', () => {
    const page = `<!-- tested contains="\\"ok\\": true" -->\n${fence}sh\ntrue\n${fence}\n`;

    expect(testedBlocks(page)[0]?.contains).toEqual(['"ok": true']);
  });

  it('defaults exit code to zero', () => {
    const page = `<!-- tested -->\n${fence}sh\ntrue\n${fence}\n`;

    expect(testedBlocks(page)[0]?.exitCode).toBe(0);
  });

  it('skips unmarked blocks', () => {
    const page = `${fence}sh\nkubectl apply -f x\n${fence}\n`;

    expect(testedBlocks(page)).toEqual([]);
  });

  it.each([
    ['marker without block', '<!-- tested -->\ntext\n', 'must sit right above'],
    ['unclosed block', `<!-- tested -->\n${fence}sh\ntrue\n`, 'not closed'],
    ['unknown attribute', `<!-- tested exits=1 -->\n${fence}sh\ntrue\n${fence}\n`, 'unknown attribute exits'],
  ])('rejects %s', (_name, page, message) => {
    expect(() => testedBlocks(page)).toThrow(message);
  });
});
