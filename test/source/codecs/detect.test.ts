import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { BYTES_FOR_DETECTION, codecFromName, detectCodec, logStem } from '../../../src/source/codecs/detect.js';
import { decoderFor } from '../../../src/source/codecs/index.js';
import { corpusPath, describeCorpus } from '../../corpus.js';
import { GARBAGE, chunked } from './helpers.js';

function head(file: string): Buffer {
  return readFileSync(file).subarray(0, BYTES_FOR_DETECTION);
}

describe('codecFromName', () => {
  test.each([
    ['local-1622043423011.zstd', 'zstd'],
    ['app.zst', 'zstd'],
    ['/logs/application_1_0001_1.lz4', 'lz4'],
    ['local-1.snappy.inprogress', 'snappy'],
    ['events_1_local-1.lzf', 'lzf'],
    ['eventlog-2021-06-15--15-00.gz', 'gzip'],
  ])('%s is %s', (name, codec) => {
    expect(codecFromName(name)).toBe(codec);
  });

  test.each(['local-1622043423011', 'eventlog', 'app.inprogress', 'events_1_app.compact', 'EVENT_LOG_1'])(
    '%s names no codec',
    (name) => {
      expect(codecFromName(name)).toBeUndefined();
    },
  );
});

describe('detectCodec without a magic', () => {
  test('plain JSON with no codec extension is plain', () => {
    expect(detectCodec('local-1', Buffer.from('{"Event":"SparkListenerLogStart"}'))).toBe('plain');
  });

  test('the extension decides when the bytes carry no magic, so garbage named .lz4 fails as lz4', () => {
    expect(detectCodec('broken.lz4', GARBAGE)).toBe('lz4');
    expect(detectCodec('broken.lz4.inprogress', GARBAGE)).toBe('lz4');
  });

  test("'ZV' needs a valid chunk type to be lzf", () => {
    expect(detectCodec('x', Buffer.from('ZV\x01\x00\x10', 'latin1'))).toBe('lzf');
    expect(detectCodec('x', Buffer.from('ZVAB is plain', 'latin1'))).toBe('plain');
  });

  test('an empty file is plain unless its name says otherwise', () => {
    expect(detectCodec('local-1', Buffer.alloc(0))).toBe('plain');
    expect(detectCodec('local-1.zstd', Buffer.alloc(0))).toBe('zstd');
  });
});

describeCorpus('detectCodec on real files', () => {
  const codecs = corpusPath('codecs');
  test.each([
    ['local-1622043423011.lz4', 'lz4'],
    ['local-1622043423011.lzf', 'lzf'],
    ['local-1622043423011.snappy', 'snappy'],
    ['local-1622043423011.zstd', 'zstd'],
    ['inprogress/local-1623281204390.snappy.inprogress', 'snappy'],
  ])('%s is %s', (name, codec) => {
    expect(detectCodec(`${codecs}/${name}`, head(`${codecs}/${name}`))).toBe(codec);
  });

  test('gzip and plain logs', () => {
    const qualification = corpusPath('rapids', 'spark-events-qualification');
    const gz = `${qualification}/db_sim_eventlog/eventlog-2021-06-15--15-00.gz`;
    expect(detectCodec(gz, head(gz))).toBe('gzip');
    expect(detectCodec('udf_func_eventlog', head(`${qualification}/udf_func_eventlog`))).toBe('plain');
  });

  test('magic wins over a misleading name', () => {
    expect(detectCodec('renamed.zstd', head(`${codecs}/local-1622043423011.lz4`))).toBe('lz4');
    expect(detectCodec('renamed.gz', head(`${codecs}/local-1622043423011.snappy`))).toBe('snappy');
    expect(detectCodec('renamed', head(`${codecs}/local-1622043423011.lzf`))).toBe('lzf');
    expect(detectCodec('local-1.lz4', head(`${codecs}/local-1622043423011.zstd`))).toBe('zstd');
  });
});

test('the plain decoder passes bytes through untouched', async () => {
  const parts: Buffer[] = [];
  for await (const part of decoderFor('plain')(chunked(GARBAGE, 100), 'x')) parts.push(Buffer.from(part));
  expect(Buffer.concat(parts).equals(GARBAGE)).toBe(true);
});

test('a log name without .inprogress and its codec extension is its app id', () => {
  expect(logStem('/logs/app-1.zstd.inprogress')).toBe('app-1');
  expect(logStem('application_1_0001_2.lz4')).toBe('application_1_0001_2');
  expect(logStem('local-1.inprogress')).toBe('local-1');
  expect(logStem('eventlog_v2_app-3')).toBe('eventlog_v2_app-3');
  expect(logStem('app-4.json')).toBe('app-4.json');
});
