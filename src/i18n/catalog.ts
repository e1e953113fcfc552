import { enCli } from './en-cli.js';
import { enLint } from './en-lint.js';
import { en } from './en.js';
import { zhCNCli } from './zh-CN-cli.js';
import { zhCNLint } from './zh-CN-lint.js';
import { zhCN } from './zh-CN.js';

// The catalogue is split over three files per language, so that command messages (en.ts), the
// messages of the explain trace, library errors and lint codes (en-cli.ts), and lint findings with
// edit warnings (en-lint.ts) can change independently.
const EN = { ...en, ...enCli, ...enLint };
const ZH_CN: Record<keyof typeof EN, string> = { ...zhCN, ...zhCNCli, ...zhCNLint };

export type Lang = 'en' | 'zh-CN';
export type MessageKey = keyof typeof EN;
export type MessageParams = Readonly<Record<string, string | number>>;

const CATALOGS: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = {
  en: EN,
  'zh-CN': ZH_CN,
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

/** Reports whether a string is a catalogue key, for keys built from codes (`lintCode.<CODE>`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(EN, key);
}

/** Reports whether `params` has a value for every placeholder of the message (the same in every language). */
export function hasAllParams(key: MessageKey, params: MessageParams): boolean {
  return [...EN[key].matchAll(/\{(\w+)\}/g)].every((match) => params[match[1] ?? ''] !== undefined);
}

/** A translator bound to one language. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export function translator(lang: Lang): Translate {
  return (key, params) => formatMessage(lang, key, params);
}
