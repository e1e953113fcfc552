/**
 * The POSIX `sh` launcher that `kubeiam kubeconfig --launcher` puts in the exec entry:
 * `/bin/sh -c <script> kubeiam-launcher <kubeiam> token … --exec-cache --launcher-cache`.
 * It prints the launcher-cache entry (launcherCache.ts) when every check below passes, and otherwise
 * runs the kubeiam command it was given, which prints a token and refreshes the entry.
 *
 * The checks, in order:
 * - the cache directory is absolute and derived as the CLI derives it;
 * - the directory and the file belong to this user and have no group or other permission bits and
 *   no ACL, which `ls -l` marks with a `+` after the mode;
 * - the file is a regular file, not a symlink;
 * - it contains exactly a header line and one ExecCredential line, both ending in a newline;
 * - more than 60 s remain, and no more than a fresh token's 14 minutes.
 * Numbers are checked to be plain decimals before the shell computes with them, because a malformed
 * number would end a non-interactive shell.
 *
 * Portability: `[ -O ]` is no POSIX test operator, but dash, bash, ksh, zsh and BusyBox ash have it.
 * `date +%s` is no POSIX format either, but GNU, BSD and BusyBox date print epoch seconds for it. A
 * shell or date without them fails the check, and the launcher then runs kubeiam. Secrets reach
 * `cksum` through a pipe from the printf built-in, never on a command line.
 */
import { LAUNCHER_ENV_NAMES, LAUNCHER_FILE_PREFIX, LAUNCHER_FILE_SUFFIX, LAUNCHER_HEADER, LAUNCHER_OUTPUT_PREFIX } from './launcherCache.js';
import { EXEC_CACHE_MIN_REMAINING_MS } from './execCache.js';
import { CLIENT_EXPIRY_MS } from '../token/constants.js';

/** `$0` of the launcher, shown by the shell in its own error messages. */
export const LAUNCHER_NAME = 'kubeiam-launcher';

/** The token flags that make kubeiam write the entry the launcher reads. */
export const LAUNCHER_TOKEN_FLAGS = ['--exec-cache', '--launcher-cache'] as const;

/** Returns the launcher script. Its arguments: the kubeiam command, then the token arguments. */
export function launcherScript(): string {
  const variables = LAUNCHER_ENV_NAMES.map((name) => `"\${${name}-}"`).join(' ');
  const minRemaining = EXEC_CACHE_MIN_REMAINING_MS / 1000;
  const maxRemaining = CLIENT_EXPIRY_MS / 1000;
  return [
    'cmd=$1',
    'shift',
    'cached() {',
    '  case ${XDG_CACHE_HOME-} in',
    '  /*) dir=$XDG_CACHE_HOME/kubeiam ;;',
    '  *) case ${HOME-} in /*) dir=$HOME/.cache/kubeiam ;; *) return 1 ;; esac ;;',
    '  esac',
    `  sum=$(printf '%s\\n' "$#" "$@" ${variables} | cksum) || return 1`,
    '  crc=${sum%% *}',
    '  size=${sum#* }',
    "  case $crc in ''|*[!0-9]*) return 1 ;; esac",
    "  case $size in ''|*[!0-9]*) return 1 ;; esac",
    `  file=$dir/${LAUNCHER_FILE_PREFIX}$crc-$size${LAUNCHER_FILE_SUFFIX}`,
    '  [ -O "$dir" ] && [ -O "$file" ] && [ -f "$file" ] && [ ! -h "$file" ] || return 1',
    '  modes=$(LC_ALL=C ls -ldn -- "$dir" "$file") || return 1',
    '  case $modes in',
    '  drwx------[!+]*"',
    '"-rw-------[!+]*) ;;',
    '  *) return 1 ;;',
    '  esac',
    '  extra=',
    '  { IFS= read -r header && IFS= read -r credential && ! IFS= read -r extra; } <"$file" || return 1',
    '  [ -z "$extra" ] || return 1',
    `  case $header in "${LAUNCHER_HEADER} "*) ;; *) return 1 ;; esac`,
    `  header=\${header#"${LAUNCHER_HEADER} "}`,
    '  usable=${header%% *}',
    '  expires=${header#* }',
    // Without a space, both expansions return the whole header, so require exactly two fields.
    '  [ "$usable $expires" = "$header" ] || return 1',
    '  now=$(date +%s) || return 1',
    '  for number in "$usable" "$expires" "$now"; do',
    "    case $number in ''|0*|*[!0-9]*|????????????*) return 1 ;; esac",
    '  done',
    `  [ $((usable - now)) -gt ${minRemaining} ] && [ $((expires - now)) -le ${maxRemaining} ] || return 1`,
    `  case $credential in '${LAUNCHER_OUTPUT_PREFIX}'*'}') ;; *) return 1 ;; esac`,
    '}',
    'if cached "$@" 2>/dev/null; then',
    "  printf '%s\\n' \"$credential\"",
    '  exit',
    'fi',
    'exec "$cmd" "$@"',
    '',
  ].join('\n');
}

/** Returns the exec entry's command and arguments that run `kubeiam token <tokenArgs>` through the launcher. */
export function launcherExec(kubeiam: string, tokenArgs: readonly string[]): { command: string; args: string[] } {
  return {
    command: '/bin/sh',
    args: ['-c', launcherScript(), LAUNCHER_NAME, kubeiam, 'token', ...tokenArgs, ...LAUNCHER_TOKEN_FLAGS],
  };
}
