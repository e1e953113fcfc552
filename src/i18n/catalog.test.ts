import { describe, expect, it } from 'vitest';
import { catalogFor, formatMessage, resolveLang } from './catalog.js';

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('catalogue', () => {
  const en = catalogFor('en');
  const zh = catalogFor('zh-CN');

  it('has the same keys in both languages', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  it.each(Object.keys(en))('%s has the same placeholders in zh-CN', (key) => {
    const k = key as keyof typeof en;
    expect(placeholders(zh[k])).toEqual(placeholders(en[k]));
  });

  it.each(Object.keys(en))('%s is translated, not empty', (key) => {
    const k = key as keyof typeof en;
    expect(zh[k].trim()).not.toBe('');
  });

  // An entry without Chinese characters may only hold placeholders, punctuation and terms such as ARN.
  const withoutChinese = Object.keys(en).filter((key) => !/[\u4e00-\u9fff]/.test(zh[key as keyof typeof en]));
  it.each(withoutChinese)('%s has no English words in zh-CN', (key) => {
    const text = zh[key as keyof typeof en].replace(/\{\w+\}/g, '');
    expect(text).not.toMatch(/[a-z]{3,}/);
  });
});

describe('resolveLang', () => {
  it.each([
    [undefined, {}, 'en'],
    ['zh-CN', {}, 'zh-CN'],
    ['en', { LANG: 'zh_CN.UTF-8' }, 'en'],
    [undefined, { LANG: 'zh_CN.UTF-8' }, 'zh-CN'],
    [undefined, { LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }, 'en'],
    [undefined, { LC_MESSAGES: 'zh_TW.UTF-8', LANG: 'en_US' }, 'zh-CN'],
    [undefined, { LC_ALL: '', LANG: 'zh_CN' }, 'zh-CN'],
    [undefined, { LANG: 'C.UTF-8' }, 'en'],
  ] as const)('flag %s env %j gives %s', (flag, env, expected) => {
    expect(resolveLang(flag, env)).toBe(expected);
  });
});

describe('formatMessage', () => {
  it('fills placeholders', () => {
    expect(formatMessage('en', 'error.unexpected', { message: 'boom' })).toBe(
      'unexpected error, please report it: boom',
    );
  });

  it('leaves unknown placeholders visible', () => {
    expect(formatMessage('en', 'error.unexpected')).toContain('{message}');
  });
});
