import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { KubeiamError } from '../errors.js';

/** How long a writer waits for another writer's lock before giving up. */
const LOCK_TIMEOUT_MS = 15_000;
/** A lock file older than this is left over from a crashed writer and may be removed. */
const STALE_LOCK_MS = 60_000;

export interface UpdateResult<T> {
  readonly value: T;
  /** Path of the backup of the previous content, when the file existed and changed. */
  readonly backupPath?: string;
}

export interface UpdateOptions {
  readonly now: () => Date;
  /** Save the previous content next to the file before replacing it. Default: true. */
  readonly backup?: boolean;
}

/**
 * Reads, edits and replaces a file so that concurrent kubeiam writers never lose an update. A lock
 * file created with O_EXCL serialises writers, and the edit runs on the content read under the lock.
 * The new content replaces the file by rename, so readers see the old or the new file, never a
 * partial one. `edit` returns the new text, or undefined to leave the file untouched. A symbolic
 * link is followed, so the link stays and its target gets the new content, lock and backup.
 */
export async function updateFile<T>(
  linkOrPath: string,
  edit: (text: string | undefined) => Promise<{ text: string | undefined; value: T }>,
  options: UpdateOptions,
): Promise<UpdateResult<T>> {
  const path = await followLinks(linkOrPath);
  const release = await acquireLock(path);
  try {
    const before = await readIfExists(path);
    const { text, value } = await edit(before);
    if (text === undefined || text === before) return { value };

    const backupPath = before !== undefined && options.backup !== false
      ? await writeBackup(path, before, options.now())
      : undefined;
    await writeAtomic(path, text);
    return { value, ...(backupPath !== undefined ? { backupPath } : {}) };
  } finally {
    await release();
  }
}

/**
 * Returns the file a path names after every symbolic link, so that a rename replaces the target and
 * not the link. A link to a missing file resolves to where that file would be.
 */
async function followLinks(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops < MAX_LINK_HOPS; hops++) {
    let link: string;
    try {
      link = await fs.readlink(current);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EINVAL' || code === 'ENOENT' || code === 'ENOTDIR') return current;
      throw fileError('FILE_READ_FAILED', current, error);
    }
    current = resolve(dirname(current), link);
  }
  throw fileError('FILE_READ_FAILED', path, Object.assign(new Error(`more than ${MAX_LINK_HOPS} symbolic links in a row, so they loop; point the link at the aws-auth file itself`), { code: 'ELOOP' }));
}

/** Number of symbolic links followed before a path counts as a loop; Linux also stops at 40. */
const MAX_LINK_HOPS = 40;

export async function readIfExists(path: string): Promise<string | undefined> {
  try {
    return await fs.readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw fileError('FILE_READ_FAILED', path, error);
  }
}

/** Writes through a temporary file in the same directory and renames it over the target. */
export async function writeAtomic(path: string, text: string): Promise<void> {
  const mode = await existingMode(path);
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await fs.writeFile(temporary, text, { mode, flag: 'wx' });
    await fs.rename(temporary, path);
  } catch (error) {
    await fs.rm(temporary, { force: true });
    throw fileError('FILE_WRITE_FAILED', path, error);
  }
}

async function existingMode(path: string): Promise<number> {
  try {
    return (await fs.stat(path)).mode & 0o777;
  } catch {
    return 0o600;
  }
}

/** Saves `text` as `<file>.bak-<UTC timestamp>`, readable only by the owner. */
async function writeBackup(path: string, text: string, now: Date): Promise<string> {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  let backupPath = `${path}.bak-${stamp}`;
  for (let attempt = 1; ; attempt++) {
    try {
      await fs.writeFile(backupPath, text, { mode: 0o600, flag: 'wx' });
      return backupPath;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 100) {
        throw fileError('BACKUP_FAILED', backupPath, error);
      }
      backupPath = `${path}.bak-${stamp}-${attempt}`;
    }
  }
}

async function acquireLock(path: string): Promise<() => Promise<void>> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + LOCK_TIMEOUT_MS;
  for (let attempt = 0; ; attempt++) {
    try {
      const handle = await fs.open(lockPath, constants.O_CREAT | constants.O_EXCL | constants.O_WRONLY, 0o600);
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => fs.rm(lockPath, { force: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EEXIST') throw fileError('LOCK_FAILED', lockPath, error);
    }
    await removeStaleLock(lockPath);
    if (Date.now() > deadline) {
      throw new KubeiamError(
        'LOCK_TIMEOUT',
        `timed out after ${LOCK_TIMEOUT_MS / 1000} s waiting for ${lockPath}; if no other kubeiam is writing, remove that file`,
        { path: lockPath },
      );
    }
    await sleep(Math.min(200, 5 * 2 ** Math.min(attempt, 5)) * (0.5 + Math.random()));
  }
}

async function removeStaleLock(lockPath: string): Promise<void> {
  try {
    const stat = await fs.stat(lockPath);
    if (Date.now() - stat.mtimeMs > STALE_LOCK_MS) await fs.rm(lockPath, { force: true });
  } catch {
    // The lock disappeared in the meantime: the next attempt takes it.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function fileError(code: string, path: string, error: unknown): KubeiamError {
  const reason = error instanceof Error ? error.message : String(error);
  return new KubeiamError(code, `${path}: ${reason}`, { path });
}
