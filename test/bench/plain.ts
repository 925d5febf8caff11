// Untimed preparation: plain copies for the DuckDB baseline (DuckDB cannot read Spark's lz4 framing, and
// reading zstd itself would measure a different decoder), and page-cache warming so no measurement pays for
// the first read from disk nor for writing back what was just generated.
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, statSync } from 'node:fs';
import { once } from 'node:events';
import path from 'node:path';
import { decodeFile } from './decode-file.js';

async function decodeTo(file: string, target: string): Promise<void> {
  const out = createWriteStream(`${target}.tmp`);
  for await (const chunk of decodeFile(file)) if (!out.write(Buffer.from(chunk))) await once(out, 'drain');
  out.end();
  await once(out, 'finish');
  renameSync(`${target}.tmp`, target);
}

const fresh = (copy: string, of: string): boolean => existsSync(copy) && statSync(copy).mtimeMs >= statSync(of).mtimeMs;

/** The decompressed copy of a log, made when missing or older than the log. */
export async function plainCopy(file: string, target: string): Promise<string> {
  mkdirSync(path.dirname(target), { recursive: true });
  if (!fresh(target, file)) await decodeTo(file, target);
  return target;
}

/** Plain copies of every log in a folder, into `targetDir`; returns the glob DuckDB reads them with. */
export async function plainCopies(dir: string, targetDir: string): Promise<string> {
  mkdirSync(targetDir, { recursive: true });
  for (const name of readdirSync(dir).sort()) {
    const target = path.join(targetDir, `${name}.ndjson`);
    if (!fresh(target, path.join(dir, name))) await decodeTo(path.join(dir, name), target);
  }
  return path.join(targetDir, '*.ndjson');
}

const filesUnder = (p: string): string[] =>
  statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => filesUnder(path.join(p, n))) : [p];

/**
 * Gets files ready for timing: written to disk (freshly generated logs and plain copies would otherwise be
 * written back by the kernel during the next measurement and slow it down), then read into the page cache.
 */
export async function settle(paths: string[]): Promise<void> {
  for (const file of paths.flatMap(filesUnder)) {
    const fd = openSync(file, 'r');
    fsyncSync(fd);
    closeSync(fd);
  }
  await warm(paths);
}

/**
 * Reads files into the page cache right before a measurement. Once is not enough here: this VM's kernel
 * reclaims cached file pages within seconds (DAMON: half of a 400 MB file was gone 25 s after it was read),
 * so a measurement would otherwise read its input from disk or from memory by chance.
 */
export async function warm(paths: string[]): Promise<void> {
  for (const file of paths.flatMap(filesUnder)) {
    for await (const _ of createReadStream(file, { highWaterMark: 1 << 20 })) void _;
  }
}
