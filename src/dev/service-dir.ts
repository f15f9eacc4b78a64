/**
 * A private service directory for serverless offline: every top-level entry of the repository as
 * a symlink (so serverless.yml, handlers/, src/, jobs/ and node_modules/ are the real ones), but its
 * own `.esbuild` work folder. serverless-esbuild bundles into `{service}/.esbuild`, and
 * `serverless package` deletes that folder when it finishes (tests/serverless-template.test.ts runs
 * it, possibly while the dev stack runs): with a shared folder the offline API would lose its
 * bundles under its feet, and two bundlers would write the same files.
 */
import { lstat, mkdir, readdir, readlink, realpath, rm, symlink } from 'node:fs/promises';
import path from 'node:path';

/** Work folders of serverless and its plugins: each service directory has its own. */
const OWN_ENTRIES = new Set(['.esbuild', '.serverless', '.serverless-offline', '.git']);

/** Creates or refreshes `dir` as a view of `repo`; returns `dir`. */
export async function prepareServiceDir(repo: string, dir: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const realDir = await realpath(dir);
  const wanted = new Map<string, string>();
  for (const name of await readdir(repo)) {
    if (OWN_ENTRIES.has(name)) continue;
    const target = await realpath(path.join(repo, name));
    // An entry that holds this directory (the data directory, .loghive) would make a cycle.
    if (realDir === target || realDir.startsWith(target + path.sep)) continue;
    wanted.set(name, target);
  }
  for (const name of await readdir(dir)) {
    const entry = path.join(dir, name);
    if (OWN_ENTRIES.has(name)) continue;
    const link = (await lstat(entry)).isSymbolicLink() ? await readlink(entry) : undefined;
    if (link !== undefined && wanted.get(name) === link) wanted.delete(name);
    else await rm(entry, { recursive: link === undefined, force: true });
  }
  for (const [name, target] of wanted) await symlink(target, path.join(dir, name));
  return dir;
}
