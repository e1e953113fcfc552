import type { Lang, MessageKey, Translate } from '../i18n/catalog.js';

/*
 * Commander writes its usage errors itself, in English. These patterns match the messages of
 * commander 14 (lib/command.js) so that other languages get them from the catalogue; a message that
 * matches no pattern, e.g. after a commander upgrade, is printed as commander wrote it.
 */
const PATTERNS: readonly { readonly pattern: RegExp; readonly key: MessageKey; readonly names: readonly string[] }[] = [
  { pattern: /^unknown option '(.+)'$/, key: 'cliError.unknownOption', names: ['option'] },
  { pattern: /^unknown command '(.+)'$/, key: 'cliError.unknownCommand', names: ['command'] },
  { pattern: /^missing required argument '(.+)'$/, key: 'cliError.missingArgument', names: ['argument'] },
  { pattern: /^option '(.+)' argument missing$/, key: 'cliError.optionArgumentMissing', names: ['option'] },
  { pattern: /^required option '(.+)' not specified$/, key: 'cliError.requiredOption', names: ['option'] },
  {
    pattern: /^option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/,
    key: 'cliError.invalidChoice',
    names: ['option', 'value', 'choices'],
  },
  {
    pattern: /^command-argument value '(.*)' is invalid for argument '(.+)'\. Allowed choices are (.+)\.$/,
    key: 'cliError.invalidArgumentChoice',
    names: ['value', 'argument', 'choices'],
  },
  { pattern: /^too many arguments(?: for '.+')?\. Expected (\d+) arguments? but got (\d+)\.$/, key: 'cliError.tooManyArguments', names: ['expected', 'received'] },
];

const SUGGESTION = /\n\(Did you mean (?:one of )?(.+)\?\)$/;

function translateBody(body: string, t: Translate): string | undefined {
  for (const { pattern, key, names } of PATTERNS) {
    const match = pattern.exec(body);
    if (match === null) continue;
    const params = Object.fromEntries(names.map((name, index) => [name, match[index + 1] ?? '']));
    return t(key, params);
  }
  return undefined;
}

/** Translates a usage error commander is about to print; English and unknown messages stay as they are. */
export function translateCommanderError(text: string, lang: Lang, t: Translate): string {
  if (lang === 'en' || !text.startsWith('error: ')) return text;

  const trimmed = text.slice('error: '.length).replace(/\n$/, '');
  const suggestion = SUGGESTION.exec(trimmed);
  const body = suggestion === null ? trimmed : trimmed.slice(0, suggestion.index);
  const translated = translateBody(body, t);
  if (translated === undefined) return text;

  const hint = suggestion === null ? '' : `\n${t('cliError.didYouMean', { suggestion: suggestion[1] ?? '' })}`;
  return `${t('error.prefix')}${translated}${hint}\n`;
}

const HELP_EXTRA = /\(((?:choices|default|preset|env): .*)\)$/;
const HELP_EXTRA_LABEL = /(^|, )(choices|default|preset|env): /g;
const HELP_EXTRA_KEYS: Readonly<Record<string, MessageKey>> = {
  choices: 'help.extra.choices',
  default: 'help.extra.default',
  preset: 'help.extra.preset',
  env: 'help.extra.env',
};

/**
 * Translates the `(choices: …, default: …)` suffix commander adds to option and argument
 * descriptions in help. The values themselves stay as commander prints them.
 */
export function translateHelpExtra(description: string, lang: Lang, t: Translate): string {
  if (lang === 'en') return description;
  return description.replace(HELP_EXTRA, (_whole, extra: string) => {
    const labelled = extra.replace(HELP_EXTRA_LABEL, (_match, separator: string, label: string) => {
      const key = HELP_EXTRA_KEYS[label];
      return `${separator === '' ? '' : t('help.extra.separator')}${key === undefined ? label : t(key)}${t('help.extra.colon')}`;
    });
    return t('help.extra', { extra: labelled });
  });
}
