/**
 * A private service directory for serverless offline: every top-level entry of the repository as
 * a symlink (so serverless.yml, handlers/, src/, jobs/ and node_modules/ are the real ones), but its
 * own `.esbuild` work folder. serverless-esbuild bundles into `{service}/.esbuild`, and
 * `serverless package` deletes that folder when it finishes (tests/serverless-template.test.ts runs
 * it, possibly while the dev stack runs): with a shared folder the offline API would lose its
 * bundles under its feet, and two bundlers would write the same files.
 */
import { lstat, mkdir, readdir, readlink, realpath, symlink, unlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ServiceDirError } from './errors.js';

/** Work folders of serverless and its plugins: each service directory has its own, kept across starts. */
const WORK_FOLDERS = new Set(['.esbuild', '.serverless', '.serverless-offline']);

/**
 * Never linked: the work folders, git's store, and the dev stack's data (s3rver's objects and the
 * private service directories themselves, which serverless-esbuild's file watcher would walk).
 */
const NOT_LINKED = new Set([...WORK_FOLDERS, '.git', '.loghive']);

/** Written into a directory this module made: any other non-empty directory is left alone. */
const MARKER = '.loghive-service-dir';

/** Creates or refreshes `dir` as a view of `repo`; returns `dir`. Only symlinks are ever removed. */
export async function prepareServiceDir(repo: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const existing = await readdir(dir);
  if (existing.length > 0 && !existing.includes(MARKER)) throw new ServiceDirError(dir);
  await writeFile(path.join(dir, MARKER), 'A private service directory of `npm run dev` (src/dev/service-dir.ts).\n');
  const realDir = await realpath(dir);
  const wanted = new Map<string, string>();
  for (const name of await readdir(repo)) {
    if (NOT_LINKED.has(name)) continue;
    const target = await realpath(path.join(repo, name));
    // An entry that holds this directory (the data directory, .loghive) would make a cycle.
    if (realDir === target || realDir.startsWith(target + path.sep)) continue;
    wanted.set(name, target);
  }
  for (const name of existing) {
    const entry = path.join(dir, name);
    if (!(await lstat(entry)).isSymbolicLink()) continue;
    if (wanted.get(name) === (await readlink(entry))) wanted.delete(name);
    else await unlink(entry);
  }
  for (const [name, target] of wanted) await symlink(target, path.join(dir, name));
  return dir;
}
