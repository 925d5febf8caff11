import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { discoverLogs } from '../../src/source/discover.js';
import { tempDir } from '../temp-dirs.js';

function folder(files: Record<string, string>): string {
  const root = tempDir('sparkopt-discover-');
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), content);
  }
  return root;
}

const names = (parts: { path: string }[]) => parts.map((p) => path.basename(p.path));

test('layouts: single logs and attempts, rolling parts by index, Databricks parts by time then eventlog, Spark 1.x', async () => {
  const root = folder({
    'application_1_0001_1': 'x',
    'application_1_0001_2.lz4': 'x',
    'app-2.zstd.inprogress': 'x',
    'eventlog_v2_app-3/events_10_app-3.zstd': 'x',
    'eventlog_v2_app-3/events_2_app-3.zstd': 'x',
    'eventlog_v2_app-3/appstatus_app-3.inprogress': '',
    'cluster-4/eventlog': 'x',
    'cluster-4/eventlog-2026-03-01--11-00.gz': 'x',
    'cluster-4/eventlog-2026-03-01--10-00.gz': 'x',
    'old/EVENT_LOG_1': 'x',
    'old/SPARK_VERSION_1.2.0': '',
    'old/APPLICATION_COMPLETE': '',
    'README.md': 'x',
    'part-0.crc': 'x',
    '.hidden': 'x',
  });
  const { sources, skipped, failures } = await discoverLogs([root]);
  expect(failures).toEqual([]);
  expect(sources.map((s) => [s.layout, path.relative(root, s.logPath), names(s.parts)])).toEqual([
    ['single', 'app-2.zstd.inprogress', ['app-2.zstd.inprogress']],
    ['single', 'application_1_0001_1', ['application_1_0001_1']],
    ['single', 'application_1_0001_2.lz4', ['application_1_0001_2.lz4']],
    ['databricks', 'cluster-4', ['eventlog-2026-03-01--10-00.gz', 'eventlog-2026-03-01--11-00.gz', 'eventlog']],
    ['rolling', 'eventlog_v2_app-3', ['events_2_app-3.zstd', 'events_10_app-3.zstd']],
    ['spark1', 'old', ['EVENT_LOG_1']],
  ]);
  expect(skipped.map((f) => path.relative(root, f))).toEqual([
    '.hidden', 'README.md', 'eventlog_v2_app-3/appstatus_app-3.inprogress', 'old/APPLICATION_COMPLETE', 'old/SPARK_VERSION_1.2.0', 'part-0.crc',
  ]);
});

test('a rolling log is read from its last compacted file: parts it compacted and whose delete failed are inside it', async () => {
  const root = folder({
    'eventlog_v2_app-5/events_1_app-5.zstd': 'x',
    'eventlog_v2_app-5/events_2_app-5.zstd': 'x',
    'eventlog_v2_app-5/events_2_app-5.zstd.compact': 'x',
    'eventlog_v2_app-5/events_3_app-5.zstd': 'x',
    'eventlog_v2_app-6/events_1_app-6.compact': 'x',
    'eventlog_v2_app-6/events_3_app-6.compact': 'x',
    'eventlog_v2_app-6/events_4_app-6': 'x',
  });
  const { sources } = await discoverLogs([root]);
  expect(sources.map((s) => names(s.parts))).toEqual([
    ['events_2_app-5.zstd.compact', 'events_3_app-5.zstd'],
    ['events_3_app-6.compact', 'events_4_app-6'],
  ]);
  expect(sources.map((s) => s.missingParts)).toEqual([undefined, undefined]);
});

test('parts missing from a rolling log are named by their index', async () => {
  const root = folder({
    'eventlog_v2_app-7/events_2_app-7': 'x',
    'eventlog_v2_app-7/events_5_app-7': 'x',
    'eventlog_v2_app-8/events_3_app-8.compact': 'x',
    'eventlog_v2_app-8/events_5_app-8': 'x',
  });
  const { sources } = await discoverLogs([root]);
  expect(sources.map((s) => s.missingParts)).toEqual([[1, 3, 4], [4]]);
});

test('globs expand; a file named explicitly is read even if its name looks like a README', async () => {
  const root = folder({ 'a/app-1': 'x', 'b/app-2': 'x', 'b/notes.md': 'x' });
  const { sources } = await discoverLogs([path.join(root, '*/app-*'), path.join(root, 'b/notes.md')]);
  expect(sources.map((s) => path.relative(root, s.logPath)).sort()).toEqual(['a/app-1', 'b/app-2', 'b/notes.md']);
});

test('missing paths, patterns matching nothing and folders without logs are failures naming the input', async () => {
  const root = folder({ 'empty/README.md': 'x' });
  const { failures } = await discoverLogs([path.join(root, 'nope'), path.join(root, '*.zstd'), path.join(root, 'empty')]);
  expect(failures.map((f) => [path.relative(root, f.file), f.why])).toEqual([
    ['nope', 'no such file or directory'],
    ['*.zstd', 'no file matches this pattern'],
    ['empty', 'no Spark event logs in this folder (1 other file)'],
  ]);
});
