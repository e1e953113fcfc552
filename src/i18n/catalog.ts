import { en } from './en.js';
import { zhCN } from './zh-CN.js';

export type Lang = 'en' | 'zh-CN';
export type MessageKey = keyof typeof en;
export type MessageParams = Readonly<Record<string, string | number>>;

const CATALOGS: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = {
  en,
  'zh-CN': zhCN,
};

export const LANGS: readonly Lang[] = ['en', 'zh-CN'];

/**
 * Picks the message language: an explicit `--lang` value first, then LC_ALL, LC_MESSAGES and LANG
 * as POSIX orders them. Any `zh*` locale selects Chinese; everything else English.
 */
export function resolveLang(explicit: string | undefined, env: Readonly<Record<string, string | undefined>>): Lang {
  const candidates = [explicit, env.LC_ALL, env.LC_MESSAGES, env.LANG];
  const chosen = candidates.find((value) => value !== undefined && value !== '');
  if (chosen === undefined) return 'en';
  return chosen.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** Formats a catalogue message, replacing `{name}` placeholders with the given parameters. */
export function formatMessage(lang: Lang, key: MessageKey, params: MessageParams = {}): string {
  const template = CATALOGS[lang][key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** Returns the raw catalogue of one language (for the completeness test). */
export function catalogFor(lang: Lang): Readonly<Record<MessageKey, string>> {
  return CATALOGS[lang];
}

/** A translator bound to one language. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(lang: Lang): Translate {
  return (key, params) => formatMessage(lang, key, params);
}
