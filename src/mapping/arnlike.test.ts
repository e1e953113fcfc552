import { describe, expect, it } from 'vitest';
import { arnLike, quoteMeta } from './arnlike.js';

const ROLE = 'arn:aws:iam::000000000000:role/some-role';
const WACKY = 'arn:aws:testservice::000000000000:some/wacky-new-[resource]{with}\\metacharacters';

describe('arnLike', () => {
  it.each([
    ['identical pattern', ROLE, ROLE],
    ['wildcard resource', ROLE, 'arn:aws:iam::000000000000:*'],
    ['every section wildcard', ROLE, 'arn:*:*:*:*:*'],
    ['double star', ROLE, 'arn:aws:iam::000000000000:**'],
    ['star around', ROLE, 'arn:aws:iam::000000000000:*role*'],
    ['star suffix', ROLE, 'arn:aws:iam::000000000000:ro*'],
    ['question marks', ROLE, 'arn:aws:iam::000000000000:??????????????'],
    ['metacharacters literal', WACKY, WACKY],
    ['metacharacters with star', WACKY, 'arn:aws:testservice::000000000000:some/wacky-new-[reso*'],
  ])('matches %s', (_name, arn, pattern) => {
    expect(arnLike(arn, pattern)).toBe(true);
  });

  it.each([
    ['other account', 'arn:aws:iam::111111111111:role/some-role', 'arn:aws:iam::000000000000:role/some-role'],
    [
      'colon in resource',
      'arn:aws:testservice::000000000000:some/wacky:resource:with:colon:delims',
      'arn:aws:testservice::**:delims',
    ],
    ['case differs', 'arn:aws:iam::000000000000:role/Some-Role', ROLE],
    ['star stops at newline', 'arn:aws:iam::000000000000:role/a\nb', 'arn:aws:iam::000000000000:role/*'],
  ])('rejects %s', (_name, arn, pattern) => {
    expect(arnLike(arn, pattern)).toBe(false);
  });

  it('star crosses carriage return like Go', () => {
    expect(arnLike('arn:aws:iam::000000000000:role/a\rb\u2028c', 'arn:aws:iam::000000000000:role/*')).toBe(true);
  });

  it('question mark matches one code point', () => {
    expect(arnLike('arn:aws:iam::000000000000:role/😀', 'arn:aws:iam::000000000000:role/?')).toBe(true);
  });

  it.each([
    ['short pattern', ROLE, 'arn:*', 'could not parse ArnLike string: not enough sections'],
    ['bad prefix', 'nar:aws:iam::000000000000:role/some-role', ROLE, 'could not parse input arn: invalid prefix'],
    ['five sections', 'arn:aws:iam:000000000000:role/some-role', ROLE, 'could not parse input arn: not enough sections'],
  ])('errors on %s', (_name, arn, pattern, message) => {
    expect(() => arnLike(arn, pattern)).toThrow(message);
  });
});

describe('quoteMeta', () => {
  it.each([
    ['**', '.*.*'],
    ['??', '.?.?'],
    ['abdcEFG', 'abdcEFG'],
    ['abd.EFG', 'abd\\.EFG'],
    ['\\.+()|[]{}^$', '\\\\\\.\\+\\(\\)\\|\\[\\]\\{\\}\\^\\$'],
    ['\\.+()|[]{}^$*?', '\\\\\\.\\+\\(\\)\\|\\[\\]\\{\\}\\^\\$.*.?'],
  ])('%s', (input, expected) => {
    expect(quoteMeta(input)).toBe(expected);
  });
});
