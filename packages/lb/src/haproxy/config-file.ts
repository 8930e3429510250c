// Writing haproxy.cfg so that nobody ever reads half of it: the master re-reads the file on every
// reload (and a restart reads it too), so it must always hold one whole configuration.
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

let sequence = 0;

/** Writes a sibling temp file and renames it over `path` (rename is atomic within a filesystem). */
export async function writeFileAtomically(path: string, text: string): Promise<void> {
  sequence += 1;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${sequence}.tmp`);
  try {
    await writeFile(temp, text);
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
