import type { Command } from 'commander';
import { registerCompletion } from '../completion.js';
import type { CommandContext } from '../io.js';
import { registerApply } from './apply.js';
import { registerAuthModeCommands } from './authmode.js';
import { registerAwsAuthCommands } from './awsauth.js';
import { registerCreator } from './creator.js';
import { registerEntryCommands } from './entry.js';
import { registerExplain } from './explain.js';
import { registerInit } from './init.js';
import { registerKubeconfig } from './kubeconfig.js';
import { registerMigrateCommands } from './migrate.js';
import { registerPolicyCommands } from './policy.js';
import { registerRestore } from './restore.js';
import { registerServerCommands } from './servers.js';
import { registerToken } from './token.js';
import { registerVerify } from './verify.js';
import { registerWhoami } from './whoami.js';

type SetExit = (code: number) => void;

/** Registers every subcommand; each lives in its own module. */
export function registerCommands(program: Command, context: CommandContext, setExit: SetExit): void {
  registerToken(program, context, setExit);
  registerAwsAuthCommands(program, context, setExit);
  registerApply(program, context, setExit);
  registerRestore(program, context, setExit);
  registerExplain(program, context, setExit);
  registerServerCommands(program, context, setExit);
  registerVerify(program, context, setExit);
  registerInit(program, context, setExit);
  registerWhoami(program, context, setExit);
  registerKubeconfig(program, context, setExit);
  registerCreator(program, context, setExit);
  registerEntryCommands(program, context, setExit);
  registerPolicyCommands(program, context, setExit);
  registerAuthModeCommands(program, context, setExit);
  registerMigrateCommands(program, context, setExit);
  // Last, so the completion script it prints lists every command registered before it.
  registerCompletion(program, context);
}
