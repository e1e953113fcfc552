import { describe, expect, it } from 'vitest';
import { GoQueryError, GoUrlError, parseGoQuery, parseGoUrl } from './goUrl.js';

describe('parseGoUrl', () => {
  it.each([
    ['https://sts.amazonaws.com/?a=b', { scheme: 'https', host: 'sts.amazonaws.com', path: '/', rawQuery: 'a=b' }],
    ['HTTPS://STS.Amazonaws.COM/', { scheme: 'https', host: 'STS.Amazonaws.COM', path: '/', rawQuery: '' }],
    ['https://sts.amazonaws.com:443/', { scheme: 'https', host: 'sts.amazonaws.com:443', path: '/', rawQuery: '' }],
    ['https://sts.amazonaws.com./', { scheme: 'https', host: 'sts.amazonaws.com.', path: '/', rawQuery: '' }],
    ['https://user:pw@sts.amazonaws.com/', { scheme: 'https', host: 'sts.amazonaws.com', path: '/', rawQuery: '' }],
    ['https://a@b@sts.amazonaws.com/', { scheme: 'https', host: 'sts.amazonaws.com', path: '/', rawQuery: '' }],
    ['https://sts.amazonaws.com%C3%A9/', { scheme: 'https', host: 'sts.amazonaws.com\xc3\xa9', path: '/', rawQuery: '' }],
    ['https://sts.amazonaws.com/%2F?x', { scheme: 'https', host: 'sts.amazonaws.com', path: '//', rawQuery: 'x' }],
    ['https://h/a%2Fb', { scheme: 'https', host: 'h', path: '/a/b', rawQuery: '' }],
    ['https://h/?a=b#frag', { scheme: 'https', host: 'h', path: '/', rawQuery: 'a=b', fragment: 'frag' }],
    ['https://h/#x?y=z', { scheme: 'https', host: 'h', path: '/', rawQuery: '', fragment: 'x?y=z' }],
    ['https://h?', { scheme: 'https', host: 'h', path: '', rawQuery: '' }],
    ['https:opaque?q', { scheme: 'https', opaque: 'opaque', host: '', rawQuery: 'q' }],
    ['//h/p', { scheme: '', host: 'h', path: '/p' }],
    ['http://', { scheme: 'http', host: '', path: '' }],
    ['https://[::1]:443/', { scheme: 'https', host: '[::1]:443', path: '/' }],
    ['https://h/?a b', { scheme: 'https', host: 'h', path: '/', rawQuery: 'a b' }],
  ])('parses %j', (input, expected) => {
    expect(parseGoUrl(input)).toMatchObject(expected);
  });

  it('keeps the raw path', () => {
    expect(parseGoUrl('https://h/%2f?x').rawPath).toBe('/%2f');
  });

  it.each([
    [':ab:cd.af:/asda', 'parse ":ab:cd.af:/asda": missing protocol scheme'],
    ['https://h/\n', 'parse "https://h/\\n": net/url: invalid control character in URL'],
    ['https://h/\x7f', 'parse "https://h/\\x7f": net/url: invalid control character in URL'],
    ['https://sts amazonaws.com/', 'parse "https://sts amazonaws.com/": invalid character " " in host name'],
    ['https://sts.{x}.com/', 'parse "https://sts.{x}.com/": invalid character "{" in host name'],
    ['https://sts.amazonaws.com%2F/', 'parse "https://sts.amazonaws.com%2F/": invalid URL escape "%2F"'],
    ['https://sts.amazonaws.com%zz/', 'parse "https://sts.amazonaws.com%zz/": invalid URL escape "%zz"'],
    ['https://sts.amazonaws.com%4/', 'parse "https://sts.amazonaws.com%4/": invalid URL escape "%4"'],
    ['https://h:80x/', 'parse "https://h:80x/": invalid port ":80x" after host'],
    ['https://h:80:80/', 'parse "https://h:80:80/": invalid port ":80:80" after host'],
    ['https://[::1/', `parse "https://[::1/": missing ']' in host`],
    ['https://[::1]x/', 'parse "https://[::1]x/": invalid port "x" after host'],
    ['https://us{er@h/', 'parse "https://us{er@h/": net/url: invalid userinfo'],
    ['https://us%zer@h/', 'parse "https://us%zer@h/": invalid URL escape "%ze"'],
    ['https://h/%zz', 'parse "https://h/%zz": invalid URL escape "%zz"'],
    ['https://h/#%zz', 'parse "https://h/#%zz": invalid URL escape "%zz"'],
    ['a:b/c', undefined],
    ['ab:c', undefined],
    ['a/b:c', undefined],
    ['1a:b', 'parse "1a:b": first path segment in URL cannot contain colon'],
    ['https://h\xc3\xa9 /', 'parse "https://hé /": invalid character " " in host name'],
    ['https://h\xff /', 'parse "https://h\\xff /": invalid character " " in host name'],
  ])('rejects %j', (input, message) => {
    if (message === undefined) {
      expect(() => parseGoUrl(input)).not.toThrow();
      return;
    }
    expect(() => parseGoUrl(input)).toThrow(GoUrlError);
    expect(() => parseGoUrl(input)).toThrow(message);
  });
});

describe('parseGoQuery', () => {
  it.each([
    ['a=1&b=2', [['a', ['1']], ['b', ['2']]]],
    ['a=1&a=2&b', [['a', ['1', '2']], ['b', ['']]]],
    ['&&a=1&', [['a', ['1']]]],
    ['a+b=c+d%20e', [['a b', ['c d e']]]],
    ['a=%3B', [['a', [';']]]],
    ['a==b', [['a', ['=b']]]],
    ['=v', [['', ['v']]]],
    ['', []],
  ])('parses %j', (input, expected) => {
    expect(parseGoQuery(input).map(({ key, values }) => [key, values])).toEqual(expected);
  });

  it.each([
    ['a=1;b=2', 'invalid semicolon separator in query'],
    ['a=1&b;=2', 'invalid semicolon separator in query'],
    ['a=60%gh', 'invalid URL escape "%gh"'],
    ['%zz=1', 'invalid URL escape "%zz"'],
    ['a=%', 'invalid URL escape "%"'],
  ])('rejects %j', (input, message) => {
    expect(() => parseGoQuery(input)).toThrow(GoQueryError);
    expect(() => parseGoQuery(input)).toThrow(message);
  });
});
