import { Argument, type Command, type Option } from 'commander';
import { usageError } from './errors.js';
import type { CommandContext } from './io.js';

/** Completion data of one command: its flags and the choices of its options and arguments. */
interface CommandSpec {
  readonly name: string;
  readonly flags: readonly string[];
  /** Flags that take a value, so the word after them is not a positional argument. */
  readonly valueFlags: readonly string[];
  /** Choices of option values, by flag. */
  readonly optionChoices: ReadonlyMap<string, readonly string[]>;
  /** Choices of each positional argument, in order; empty when the argument is free text. */
  readonly argumentChoices: readonly (readonly string[])[];
}

function optionFlags(option: Option): string[] {
  return [option.short, option.long].filter((flag): flag is string => flag !== undefined);
}

function describeCommand(command: Command, name: string): CommandSpec {
  const options = command.options.filter((option) => !option.hidden);
  const optionChoices = new Map<string, readonly string[]>();
  for (const option of options) {
    if (option.argChoices === undefined) continue;
    for (const flag of optionFlags(option)) optionChoices.set(flag, option.argChoices);
  }
  return {
    name,
    flags: [...options.flatMap(optionFlags), '-h', '--help'],
    valueFlags: options.filter((option) => option.required || option.optional).flatMap(optionFlags),
    optionChoices,
    argumentChoices: command.registeredArguments.map((argument) => argument.argChoices ?? []),
  };
}

function shellWords(words: readonly string[]): string {
  return words.join(' ').replace(/[^A-Za-z0-9 _:.,@/=+-]/g, '');
}

/** Renders the `case` branch of one command: its words, value flags and choices. */
function bashBranch(spec: CommandSpec, pattern: string, commandWords: readonly string[]): string {
  const choiceCases = [...spec.optionChoices].map(([flag, choices]) => `          ${flag}) COMPREPLY=($(compgen -W "${shellWords(choices)}" -- "$cur")); return 0 ;;`);
  const argumentCases = spec.argumentChoices
    .map((choices, index) => (choices.length === 0 ? '' : `          ${index}) words="${shellWords(choices)}" ;;`))
    .filter((line) => line !== '');
  return [
    `    ${pattern})`,
    `      words="${shellWords(commandWords)}"`,
    `      flags="${shellWords(spec.flags)}"`,
    `      valueflags=" ${shellWords(spec.valueFlags)} "`,
    '      if [[ $prev == -* && $valueflags == *" $prev "* ]]; then',
    '        case "$prev" in',
    ...choiceCases,
    '          *) COMPREPLY=($(compgen -f -- "$cur")); return 0 ;;',
    '        esac',
    '      fi',
    '      case "$position" in',
    ...argumentCases,
    '        *) ;;',
    '      esac',
    '      ;;',
  ].join('\n');
}

/**
 * Generates a bash completion script from the command tree: subcommand names, each command's flags,
 * the choices of `-o` and other options, and the choices of positional arguments such as `<kind>`.
 * The function finds the subcommand and counts positional words, skipping the values of flags.
 */
export function bashCompletion(program: Command): string {
  const root = describeCommand(program, '');
  const specs = program.commands.map((command) => describeCommand(command, command.name()));
  const allValueFlags = [...new Set([...root.valueFlags, ...specs.flatMap((spec) => spec.valueFlags)])];
  const branches = [
    bashBranch(root, '""', specs.map((spec) => spec.name)),
    ...specs.map((spec) => bashBranch(spec, spec.name, [])),
  ];
  return `# bash completion for kubeiam, generated from its commands by \`kubeiam completion bash\`.
_kubeiam() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cmd="" position=0 words="" flags="" valueflags="" word i
  if (( COMP_CWORD > 0 )); then prev="\${COMP_WORDS[COMP_CWORD-1]}"; fi
  local allvalueflags=" ${shellWords(allValueFlags)} "
  for (( i = 1; i < COMP_CWORD; i++ )); do
    word="\${COMP_WORDS[i]}"
    if [[ $word == -* ]]; then
      if [[ $word != *=* && $allvalueflags == *" $word "* ]]; then (( i++ )); fi
    elif [[ -z $cmd ]]; then
      cmd="$word"
    else
      (( position++ ))
    fi
  done
  case "$cmd" in
${branches.join('\n')}
    *) return 0 ;;
  esac
  if [[ $cur == -* ]]; then words="$flags"; fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _kubeiam kubeiam
complete -F _kubeiam kubectl-iam
`;
}

/**
 * Generates the zsh script: zsh runs the bash function through its bashcompinit layer.
 * NOTE: the tests run the bash function only; the zsh wrapper has not been run under zsh.
 */
export function zshCompletion(program: Command): string {
  return `#compdef kubeiam kubectl-iam
autoload -U +X bashcompinit && bashcompinit
${bashCompletion(program)}`;
}

/** `completion bash|zsh`: prints the script for the program the command belongs to. */
export function registerCompletion(program: Command, context: CommandContext): void {
  const { t } = context;
  program
    .command('completion')
    .description(t('help.completion'))
    .addArgument(new Argument('<shell>', t('help.completion.shell')).choices(['bash', 'zsh']))
    .action((shell: string) => {
      if (shell !== 'bash' && shell !== 'zsh') throw usageError('completion.shellInvalid', { shell });
      context.io.stdout(shell === 'bash' ? bashCompletion(program) : zshCompletion(program));
    });
}
