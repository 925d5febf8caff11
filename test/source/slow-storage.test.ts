import { afterEach, expect, test, vi } from 'vitest';
import { discoverLogs } from '../../src/source/discover.js';
import { LogReader } from '../../src/source/read.js';
import { FIXTURE_LOGS } from '../raw-events.js';

// A clock that only reading a slow file moves: each file's read takes 0 ms, or 5 ms for the files in `slow`.
const storage = vi.hoisted(() => ({ clock: 0, slow: new Set<string>(), onThread: [] as string[] }));
vi.mock('node:fs', async (original) => {
  const fs = await original<typeof import('node:fs')>();
  const readFileSync = ((file: string, ...rest: never[]) => {
    if (storage.slow.has(file)) storage.clock += 5;
    return fs.readFileSync(file, ...rest);
  }) as typeof fs.readFileSync;
  return { ...fs, default: { ...fs, readFileSync }, readFileSync };
});
vi.mock('../../src/source/file-readers.js', async () => {
  const { readFileSync } = await vi.importActual<typeof import('node:fs')>('node:fs');
  return {
    readOnThread: async (file: string) => {
      storage.onThread.push(file);
      return readFileSync(file);
    },
  };
});

afterEach(() => vi.restoreAllMocks());

test('small files go to the reader threads only after three slow reads in a row, not after one or two', async () => {
  vi.spyOn(performance, 'now').mockImplementation(() => storage.clock);
  const { sources } = await discoverLogs([FIXTURE_LOGS]);
  const logs = sources.filter((s) => s.parts.length === 1);
  expect(logs.length).toBeGreaterThanOrEqual(10);
  const paths = logs.map((s) => s.parts[0]!.path);
  // Read 1 slow alone, 3 and 4 two in a row, then 6, 7 and 8 three in a row.
  for (const i of [0, 2, 3, 5, 6, 7]) storage.slow.add(paths[i]!);
  const reader = new LogReader(logs, undefined, 2);
  for (const index of logs.keys()) for await (const { chunks } of reader.read(index)) for await (const _ of chunks);
  // From the ninth log on, small files are read on the threads, ahead of time.
  expect(storage.onThread.sort()).toEqual(paths.slice(8).sort());
});
