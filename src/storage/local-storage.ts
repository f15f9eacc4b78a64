import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, readdir, realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { isHiddenName, type FileStatus, type Storage } from './storage.js';

/** Local files: plain paths (relative to the working directory) and `file://` URIs. */
export class LocalStorage implements Storage {
  handles(location: string): boolean {
    return location.startsWith('file:') || !/^[a-z][a-z0-9+.-]*:\/\//i.test(location);
  }

  /** A `file://` URI or a path, as an absolute local path. */
  toPath(location: string): string {
    if (location.startsWith('file:')) {
      // Hive writes both file:///abs and file:/abs.
      return location.startsWith('file://') ? fileURLToPath(location) : path.resolve(location.slice(5));
    }
    return path.resolve(location);
  }

  async listFiles(location: string): Promise<FileStatus[] | undefined> {
    const root = this.toPath(location);
    const st = await stat(root).catch(() => undefined);
    if (!st) return undefined;
    if (st.isFile()) return [{ location: root, size: st.size }];
    const out: FileStatus[] = [];
    // Symbolic links are followed, as Hadoop's local file system does; real paths already walked are not walked again (link cycles).
    const walked = new Set<string>();
    const walk = async (dir: string): Promise<void> => {
      const real = await realpath(dir);
      if (walked.has(real)) return;
      walked.add(real);
      const entries = await readdir(dir, { withFileTypes: true });
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (isHiddenName(e.name)) continue;
        const full = path.join(dir, e.name);
        const target = e.isSymbolicLink() ? await stat(full).catch(() => undefined) : e;
        if (target?.isDirectory()) await walk(full);
        else if (target?.isFile()) out.push({ location: full, size: (await stat(full)).size });
      }
    };
    await walk(root);
    return out;
  }

  async listDirectories(location: string): Promise<string[]> {
    const root = this.toPath(location);
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    const dirs: string[] = [];
    for (const e of entries) {
      if (isHiddenName(e.name)) continue;
      const full = path.join(root, e.name);
      if (e.isDirectory() || (e.isSymbolicLink() && (await stat(full).catch(() => undefined))?.isDirectory())) dirs.push(full);
    }
    return dirs.sort();
  }

  openRead(location: string, range?: { start: number; end: number }): Readable {
    const p = this.toPath(location);
    return range ? createReadStream(p, { start: range.start, end: range.end - 1, highWaterMark: 1 << 20 }) : createReadStream(p, { highWaterMark: 1 << 20 });
  }

  join(location: string, ...names: string[]): string {
    return path.join(this.toPath(location), ...names);
  }

  openWrite(location: string): Writable {
    const p = this.toPath(location);
    mkdirSync(path.dirname(p), { recursive: true });
    return createWriteStream(p);
  }

  async makeDirectory(location: string): Promise<void> {
    await mkdir(this.toPath(location), { recursive: true });
  }

  async writeFile(location: string, data: Uint8Array | string): Promise<void> {
    const p = this.toPath(location);
    await mkdir(path.dirname(p), { recursive: true });
    await writeFile(p, data);
  }

  async remove(location: string): Promise<void> {
    await rm(this.toPath(location), { recursive: true, force: true });
  }

  async replaceDirectory(staged: string, target: string): Promise<void> {
    const from = this.toPath(staged);
    const to = this.toPath(target);
    await mkdir(path.dirname(to), { recursive: true });
    // Move the old output aside first, so that a failure in between leaves either the old or the new directory whole.
    const aside = `${to}.loghive-old-${process.pid}-${Date.now()}`;
    const existed = await stat(to).then(() => true, () => false);
    if (existed) await rename(to, aside);
    try {
      await rename(from, to);
    } catch (err) {
      if (existed) await rename(aside, to);
      throw err;
    }
    if (existed) await rm(aside, { recursive: true, force: true });
  }
}
