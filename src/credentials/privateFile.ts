/**
 * Files only the current user may read: cache directories are created 0700, cache files 0600, and
 * a file whose mode gives the group or others any access is treated as not private.
 */
import { closeSync, constants, fstatSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join } from 'node:path';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** Mode bits that give the group or others any access. */
const GROUP_AND_OTHER_BITS = 0o077;

/** Reports whether a file mode gives no access to the group or others. */
export function isPrivateMode(mode: number): boolean {
  return (mode & GROUP_AND_OTHER_BITS) === 0;
}

/** Reports whether `uid` is this process's user; true where Node.js has no user IDs (Windows). */
export function isOwnedByProcessUser(uid: number): boolean {
  return typeof process.getuid !== 'function' || uid === process.getuid();
}

/**
 * Creates a directory and its missing parents with mode 0700 (the umask may only narrow it).
 * An existing directory keeps its mode.
 */
export function ensurePrivateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/**
 * Replaces `path` atomically: the data goes to a new 0600 file in the same directory, is flushed,
 * and is renamed over `path`, so a reader sees the old or the new content, never a partial file.
 */
export function writePrivateFileAtomic(path: string, data: string): void {
  // O_EXCL ('wx') makes a name collision fail instead of sharing a file, so the suffix need not be
  // cryptographic. Avoiding node:crypto keeps the start-up path of `kubeiam token` short.
  const suffix = `${process.pid}.${Date.now().toString(36)}.${Math.random().toString(36).slice(2, 10)}`;
  const temporary = join(dirname(path), `.${basename(path)}.${suffix}.tmp`);
  const fd = openSync(temporary, 'wx', PRIVATE_FILE_MODE);
  try {
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    removeQuietly(temporary);
    throw error;
  }
}

/** Deletes a file, ignoring every error (it may already be gone). */
export function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Nothing to clean up.
  }
}

/** Returns the message of an error from node:fs (it names the call and the path, never file content). */
export function fsErrorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Returns the user's home directory: HOME (USERPROFILE on Windows) from `env`, else the OS value. */
export function homeDirectory(env: Readonly<Record<string, string | undefined>>): string {
  return env.HOME || env.USERPROFILE || homedir();
}

/**
 * Reads a regular file without following a symlink; 'not-private' when its mode is too open or
 * another user owns it.
 */
export function readPrivateFile(path: string): string | 'not-private' | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch {
    return undefined;
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return undefined;
    if (!isPrivateMode(stats.mode) || !isOwnedByProcessUser(stats.uid)) return 'not-private';
    return readFileSync(fd, 'utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
