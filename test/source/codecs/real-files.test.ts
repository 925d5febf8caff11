import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { decompress as zstdDecompress } from 'zstd-napi';
import { CutStreamError } from '../../../src/errors.js';
import { detectCodec } from '../../../src/source/codecs/detect.js';
import { decoderFor } from '../../../src/source/codecs/index.js';
import { corpusPath, describeCorpus } from '../../corpus.js';
import { decodeAll, sha256 } from './helpers.js';

const QUALIFICATION = ['rapids', 'spark-events-qualification'];
/** The plain logs that eventlogs/codecs/ holds compressed copies of, by app id. */
const PLAIN_ORIGINALS = {
  'local-1622043423011': [...QUALIFICATION, 'cluster_information', 'eventlog_2nodes_8cores'],
  'local-1623281204390': [...QUALIFICATION, 'udf_func_eventlog'],
};
const SPARK_CODECS = ['lz4', 'lzf', 'snappy', 'zstd'] as const;

async function decodeFile(file: string, chunkSize: number) {
  const bytes = readFileSync(file);
  return decodeAll(decoderFor(detectCodec(file, bytes)), bytes, chunkSize, file);
}

describeCorpus('real Spark codec files decode to their plain originals', () => {
  for (const [appId, original] of Object.entries(PLAIN_ORIGINALS)) {
    const plain = readFileSync(corpusPath(...original));
    for (const codec of SPARK_CODECS) {
      for (const chunkSize of [7, 4093, 1 << 20]) {
        test(`${appId}.${codec} fed in ${chunkSize}-byte chunks`, async () => {
          const { output, error } = await decodeFile(corpusPath('codecs', `${appId}.${codec}`), chunkSize);
          expect(error).toBeUndefined();
          expect(output.length).toBe(plain.length);
          expect(sha256(output)).toBe(sha256(plain));
        });
      }
    }
  }
});

describeCorpus('in-progress files decode to a strict prefix, then report the cut', () => {
  const plain = readFileSync(corpusPath(...PLAIN_ORIGINALS['local-1623281204390']));
  for (const codec of SPARK_CODECS) {
    for (const chunkSize of [7, 4093]) {
      test(`local-1623281204390.${codec}.inprogress fed in ${chunkSize}-byte chunks`, async () => {
        const file = corpusPath('codecs', 'inprogress', `local-1623281204390.${codec}.inprogress`);
        const { output, error } = await decodeFile(file, chunkSize);
        expect(error).toBeInstanceOf(CutStreamError);
        expect(output.length).toBeGreaterThan(0);
        expect(output.length).toBeLessThan(plain.length);
        expect(output.equals(plain.subarray(0, output.length))).toBe(true);
      });
    }
  }
});

describeCorpus('other real compressed logs', () => {
  test('Databricks rolled .gz part', async () => {
    const file = corpusPath(...QUALIFICATION, 'db_sim_eventlog', 'eventlog-2021-06-15--15-00.gz');
    const { output, error } = await decodeFile(file, 4093);
    expect(error).toBeUndefined();
    expect(sha256(output)).toBe(sha256(gunzipSync(readFileSync(file))));
  });

  const zstdLogs = readdirSync(corpusPath(...QUALIFICATION))
    .filter((name) => name.endsWith('.zstd'))
    .map((name) => corpusPath(...QUALIFICATION, name));
  test.each(zstdLogs.map((file) => [path.basename(file), file]))('%s matches a one-shot zstd decode', async (_, file) => {
    const { output, error } = await decodeFile(file, 65536);
    expect(error).toBeUndefined();
    expect(sha256(output)).toBe(sha256(zstdDecompress(readFileSync(file))));
  });
});
