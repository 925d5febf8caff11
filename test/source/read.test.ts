import { copyFileSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { currentSource, discoverLogs } from '../../src/source/discover.js';
import { InputError } from '../../src/errors.js';
import { LogReader, READ_RING } from '../../src/source/read.js';
import { rawText } from '../raw-counts.js';
import { FIXTURE_LOGS } from '../raw-events.js';
import { tempDir } from '../temp-dirs.js';

/** Every part of every log, decompressed, as `LogReader` hands it over. */
async function readAll(reader: LogReader, count: number): Promise<Map<string, string>> {
  const texts = new Map<string, string>();
  for (let index = 0; index < count; index++) {
    for await (const { read, chunks } of reader.read(index)) {
      const pieces: Buffer[] = [];
      // A chunk is valid only until the next one is asked for: keep copies.
      for await (const chunk of chunks) pieces.push(Buffer.from(chunk));
      texts.set(path.relative(FIXTURE_LOGS, read.path), Buffer.concat(pieces).toString('utf8'));
    }
  }
  return texts;
}

test('small files read synchronously and, once storage proves slow, ahead in the background give the same bytes', async () => {
  const { sources } = await discoverLogs([FIXTURE_LOGS]);
  const rawBytes = { sync: 0, ahead: 0 };
  const sync = await readAll(new LogReader(sources, (n) => (rawBytes.sync += n)), sources.length);
  // A threshold below any read's duration: the first read counts as slow, every later one is read ahead.
  const ahead = await readAll(new LogReader(sources, (n) => (rawBytes.ahead += n), -1), sources.length);

  expect(sync.size).toBe(sources.reduce((n, s) => n + s.parts.length, 0));
  expect([...ahead.keys()]).toEqual([...sync.keys()]);
  for (const [part, text] of sync) expect(ahead.get(part), part).toBe(text);
  const onDisk = sources.flatMap((s) => s.parts).reduce((n, p) => n + p.size, 0);
  expect(rawBytes).toEqual({ sync: onDisk, ahead: onDisk });
  // Decoded independently (one-shot library calls): plain, zstd and gzip fixtures.
  for (const name of ['app-20260301101500-0001', 'app-20260301103000-0002.zstd', 'app-20260301113000-0006.gz']) {
    const text = sync.get(name)!;
    expect(text.split('\n').length, name).toBeGreaterThan(100);
    expect(text, name).toBe(rawText([path.join(FIXTURE_LOGS, name)]));
  }
});

test('a log gone between finding and reading it (an .inprogress renamed) is an input error naming it', async () => {
  const dir = tempDir('sparkopt-gone-');
  const small = path.join(dir, 'app-20260301101500-0001');
  copyFileSync(path.join(FIXTURE_LOGS, 'app-20260301101500-0001'), small);
  // Over the size read whole: this one would be streamed.
  const big = path.join(dir, 'app-big');
  writeFileSync(big, '{"Event":"SparkListenerLogStart","Spark Version":"3.5.0"}\n'.repeat(100_000));
  const { sources } = await discoverLogs([dir]);
  expect(sources.map((s) => path.basename(s.logPath)).sort()).toEqual(['app-20260301101500-0001', 'app-big']);
  rmSync(small);
  rmSync(big);
  for (const slowReadMs of [undefined, -1]) {
    const reader = new LogReader(sources, undefined, slowReadMs);
    for (const [index, source] of sources.entries()) {
      const reading = (async () => {
        for await (const { chunks } of reader.read(index)) for await (const _ of chunks);
      })();
      await expect(reading).rejects.toThrow(InputError);
      await expect(reading).rejects.toMatchObject({ file: source.parts[0]!.path, why: 'gone before it could be read (renamed or deleted meanwhile)' });
    }
  }
});

test('a running app’s log that completed (was renamed) between finding and reading it is read under its new name', async () => {
  const dir = tempDir('sparkopt-renamed-');
  const names = ['app-20260301131500-0009.inprogress', 'app-20260301130000-0008.zstd.inprogress'];
  for (const name of names) copyFileSync(path.join(FIXTURE_LOGS, name), path.join(dir, name));
  const { sources } = await discoverLogs([dir]);
  expect(sources.map((s) => path.basename(s.logPath))).toEqual(names.slice().reverse());
  // The plain one completes: Spark writes its last events, then renames it.
  const plain = path.join(dir, names[0]!);
  const completedPlain = plain.slice(0, -'.inprogress'.length);
  const ending = '{"Event":"SparkListenerApplicationEnd","Timestamp":1772370000000}\n';
  const written = readFileSync(plain, 'utf8');
  writeFileSync(completedPlain, written.slice(0, written.lastIndexOf('\n') + 1) + ending);
  rmSync(plain);
  // The zstd one is renamed as it is.
  const zstd = path.join(dir, names[1]!);
  renameSync(zstd, zstd.slice(0, -'.inprogress'.length));

  const reader = new LogReader(sources);
  const texts = new Map<string, string>();
  for (const index of sources.keys()) {
    const source = reader.source(index);
    expect(source.logPath.endsWith('.inprogress'), source.logPath).toBe(false);
    expect(source.parts.map((p) => p.size)).toEqual([statSync(source.logPath).size]);
    for await (const { read, chunks } of reader.read(index)) {
      const pieces: Buffer[] = [];
      for await (const chunk of chunks) pieces.push(Buffer.from(chunk));
      texts.set(path.basename(read.path), Buffer.concat(pieces).toString('utf8'));
    }
  }
  expect(texts.get('app-20260301131500-0009')).toBe(readFileSync(completedPlain, 'utf8'));
  expect(texts.get('app-20260301131500-0009')!.endsWith(ending)).toBe(true);
  expect(texts.get('app-20260301130000-0008.zstd')).toBe(rawText([path.join(FIXTURE_LOGS, names[1]!)]));
  // A log that is still running, or gone for good, is left as it was found.
  const running = path.join(dir, 'app-still-running.inprogress');
  copyFileSync(path.join(FIXTURE_LOGS, names[0]!), running);
  const [stillRunning] = (await discoverLogs([running])).sources;
  expect(currentSource(stillRunning!)).toBe(stillRunning);
  rmSync(running);
  expect(currentSource(stillRunning!)).toBe(stillRunning);
});

test('a big file streams through a few reused buffers, every byte in order', async () => {
  const dir = tempDir('sparkopt-big-');
  const big = path.join(dir, 'app-big');
  // 6.8 MiB: streamed (over the size read whole), through each of the READ_RING buffers twice.
  const lines = Array.from({ length: 60_000 }, (_, i) => `{"Event":"SparkListenerLogStart","Spark Version":"3.5.${i}","Pad":"${'x'.repeat(i % 97)}"}\n`);
  writeFileSync(big, lines.join(''));
  const { sources } = await discoverLogs([big]);
  let rawBytes = 0;
  const reader = new LogReader(sources, (n) => (rawBytes += n));
  const pieces: Buffer[] = [];
  const memories = new Set<ArrayBufferLike>();
  for await (const { chunks } of reader.read(0)) {
    for await (const chunk of chunks) {
      memories.add(chunk.buffer);
      pieces.push(Buffer.from(chunk));
    }
  }
  expect(Buffer.concat(pieces).equals(readFileSync(big))).toBe(true);
  expect(rawBytes).toBe(statSync(big).size);
  expect(pieces.length).toBeGreaterThan(2 * READ_RING);
  expect(memories.size).toBe(READ_RING);
});
