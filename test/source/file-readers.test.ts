import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { readOnThread } from '../../src/source/file-readers.js';
import { FIXTURE_LOGS } from '../raw-events.js';
import { tempDir } from '../temp-dirs.js';

test('files read on the reader threads, many at once, come back whole and each to its own caller', async () => {
  const dir = tempDir();
  // More reads than threads, of different sizes (an empty file too), so that replies interleave.
  const files = Array.from({ length: 25 }, (_, i) => {
    const file = path.join(dir, `f${i}`);
    writeFileSync(file, Buffer.alloc(i * 7919, i));
    return file;
  });
  files.push(path.join(FIXTURE_LOGS, 'app-20260301103000-0002.zstd'));
  const read = await Promise.all(files.map((file) => readOnThread(file)));
  read.forEach((bytes, i) => expect(bytes.equals(readFileSync(files[i]!)), files[i]).toBe(true));
  expect(read[24]!.length).toBe(24 * 7919);
  expect(read[0]!.length).toBe(0);
});

test('a file that cannot be read rejects with the error code Node gives (what names it for the user)', async () => {
  await expect(readOnThread(path.join(tempDir(), 'gone'))).rejects.toMatchObject({ code: 'ENOENT' });
  await expect(readOnThread(tempDir())).rejects.toMatchObject({ code: 'EISDIR' });
});
