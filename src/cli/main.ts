import { Command, CommanderError, Help, Option } from 'commander';
import { isKubeiamError } from '../errors.js';
import { LANGS, resolveLang, translator, type MessageKey, type Translate } from '../i18n/catalog.js';
import { translateCommanderError, translateHelpExtra } from './commander-messages.js';
import { CliError } from './errors.js';
import { EXIT, type CliIo, type CommandContext } from './io.js';
import { describeLibraryError } from './messages.js';
import { colorsFor } from './output.js';
import { registerCommands } from './commands/index.js';
import { VERSION } from './version.js';

/**
 * Runs the kubeiam CLI on `argv` (without the node and script paths) and returns the exit code.
 * Only bin/kubeiam.js calls process.exit; everything here writes through `io`.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const lang = resolveLang(findLangFlag(argv), io.env);
  const context: CommandContext = { io, lang, t: translator(lang) };
  let exitCode: number = EXIT.ok;
  const setExit = (code: number): void => {
    exitCode = code;
  };

  const program = buildProgram(context, setExit);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    return reportError(error, context);
  }
}

/** Builds the commander program with every command; exported so tests can walk the command tree. */
export function buildProgram(context: CommandContext, setExit: (code: number) => void): Command {
  const { io, t } = context;
  const program = new Command('kubeiam')
    .description(t('help.program'))
    .version(VERSION, '-V, --version', t('help.version'))
    .helpOption('-h, --help', t('help.help'))
    .addHelpCommand(false)
    .addOption(new Option('--lang <lang>', t('help.lang')).choices([...LANGS, 'zh', 'zh_CN']))
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout(text),
      writeErr: (text) => io.stderr(text),
      outputError: (text, write) => write(translateCommanderError(text, context.lang, t)),
    })
    .configureHelp({
      styleTitle: (title) => translateHelpTitle(title, t),
      // commander writes a space after the usage title, which a full-width colon (用法：) already separates.
      formatHelp: (command, helper) => Help.prototype.formatHelp.call(helper, command, helper).replace(/^(\S*：) /, '$1'),
      optionDescription: (option) => translateHelpExtra(new Help().optionDescription(option), context.lang, t),
      argumentDescription: (argument) => translateHelpExtra(new Help().argumentDescription(argument), context.lang, t),
    });
  registerCommands(program, context, setExit);
  return program;
}

const HELP_TITLES: Readonly<Record<string, MessageKey>> = {
  'Usage:': 'help.title.usage',
  'Arguments:': 'help.title.arguments',
  'Options:': 'help.title.options',
  'Global Options:': 'help.title.globalOptions',
  'Commands:': 'help.title.commands',
};

/** Translates the section titles commander prints in help; subcommands inherit this setting. */
function translateHelpTitle(title: string, t: Translate): string {
  const key = HELP_TITLES[title];
  return key === undefined ? title : t(key);
}

function reportError(error: unknown, context: CommandContext): number {
  const { io, t } = context;
  const prefix = colorsFor(io).bad(t('error.prefix'));
  if (error instanceof CommanderError) {
    // Commander already printed its message; help and version requests are not errors.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT.ok;
    if (error.code === 'commander.help') return EXIT.ok;
    return EXIT.usage;
  }
  if (error instanceof CliError) {
    io.stderr(`${prefix}${t(error.messageKey, error.params)}\n`);
    return error.exitCode;
  }
  if (isKubeiamError(error)) {
    io.stderr(`${prefix}${describeLibraryError(error, context.lang, t)}\n`);
    return EXIT.error;
  }
  if (isSystemError(error)) {
    // A file or network failure (EACCES, EISDIR, ECONNREFUSED): the message names the path or address.
    io.stderr(`${prefix}${error.message}\n`);
    return EXIT.error;
  }
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  io.stderr(`${t('error.unexpected', { message })}\n`);
  return EXIT.error;
}

function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && typeof (error as NodeJS.ErrnoException).syscall === 'string';
}

/** Finds `--lang X` or `--lang=X` before commander runs, so help texts are already translated. */
function findLangFlag(argv: readonly string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') return undefined;
    if (arg === '--lang') return argv[i + 1];
    if (arg.startsWith('--lang=')) return arg.slice('--lang='.length);
  }
  return undefined;
}
