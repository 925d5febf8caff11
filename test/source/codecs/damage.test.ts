import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { CutStreamError, InputError } from '../../../src/errors.js';
import { decoderFor } from '../../../src/source/codecs/index.js';
import { corpusPath, describeCorpus } from '../../corpus.js';
import { GARBAGE, chunked, decodeAll } from './helpers.js';

const COMPRESSED = ['zstd', 'lz4', 'snappy', 'lzf', 'gzip'] as const;
/** How each codec names itself in messages. */
const CODEC_WORD = { zstd: /zstd/, lz4: /lz4/, snappy: /snappy/, lzf: /lzf/, gzip: /gzip/ };

describe.each(COMPRESSED)('%s decoder on input that is not that codec', (codec) => {
  test('garbage is an InputError naming the codec and byte 0, with nothing yielded', async () => {
    const { output, error } = await decodeAll(decoderFor(codec), GARBAGE, 7, 'some/file');
    expect(error).toBeInstanceOf(InputError);
    const message = (error as InputError).message;
    expect(message).toMatch(CODEC_WORD[codec]);
    expect(message).toMatch(/byte 0/);
    expect(message).toMatch(/^some\/file: /);
    expect(message).not.toMatch(/\n/);
    expect(output.length).toBe(0);
  });

  test('lets go of its input when it fails', async () => {
    const input = new CloseTracked(GARBAGE);
    await expect(async () => {
      for await (const _ of decoderFor(codec)(input, 'f'));
    }).rejects.toThrow(InputError);
    expect(input.closed).toBe(true);
  });

  test('an empty file yields nothing and no error', async () => {
    expect(await decodeAll(decoderFor(codec), Buffer.alloc(0))).toEqual({ output: Buffer.alloc(0), error: undefined });
  });
});

/** Chunks of `bytes` that record whether the reader closed them (what makes a file stream close its file). */
class CloseTracked implements AsyncIterable<Buffer> {
  closed = false;
  constructor(private readonly bytes: Buffer) {}

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      yield* chunked(this.bytes, 1000);
    } finally {
      this.closed = true;
    }
  }
}

const PLAIN_ORIGINAL = ['rapids', 'spark-events-qualification', 'cluster_information', 'eventlog_2nodes_8cores'];

describeCorpus('damaged copies of real files', () => {
  const plain = readFileSync(corpusPath(...PLAIN_ORIGINAL));
  const compressed = {
    zstd: readFileSync(corpusPath('codecs', 'local-1622043423011.zstd')),
    lz4: readFileSync(corpusPath('codecs', 'local-1622043423011.lz4')),
    snappy: readFileSync(corpusPath('codecs', 'local-1622043423011.snappy')),
    lzf: readFileSync(corpusPath('codecs', 'local-1622043423011.lzf')),
    gzip: gzipSync(plain),
  };
  /** snappy-java and compress-lzf have no end marker: a cut between blocks looks like a complete stream. */
  const mayEndCleanlyWhenCut = new Set(['snappy', 'lzf']);

  describe.each(COMPRESSED)('%s', (codec) => {
    const bytes = compressed[codec];

    test('cut anywhere: yields a prefix of the original, then CutStreamError naming the codec', async () => {
      const cuts = [1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 20, 21, 22, 25, 30];
      for (let cut = 31; cut < bytes.length; cut += 577) cuts.push(cut);
      cuts.push(bytes.length - 1);
      for (const cut of cuts) {
        const { output, error } = await decodeAll(decoderFor(codec), bytes.subarray(0, cut), 1000);
        expect(output.equals(plain.subarray(0, output.length)), `cut at ${cut}`).toBe(true);
        if (error === undefined && mayEndCleanlyWhenCut.has(codec)) continue;
        expect(error, `cut at ${cut}`).toBeInstanceOf(CutStreamError);
        expect((error as CutStreamError).message).toMatch(CODEC_WORD[codec]);
        expect((error as CutStreamError).message).toMatch(/byte \d+/);
      }
    });

    test('lets go of its input when the consumer stops early', async () => {
      const input = new CloseTracked(bytes);
      for await (const _ of decoderFor(codec)(input, 'f')) break;
      expect(input.closed).toBe(true);
    });

    test('two streams back to back decode to the original twice', async () => {
      const { output, error } = await decodeAll(decoderFor(codec), Buffer.concat([bytes, bytes]), 4093);
      expect(error).toBeUndefined();
      expect(output.equals(Buffer.concat([plain, plain]))).toBe(true);
    });

    test('garbage after a complete stream: the stream is kept, then CutStreamError', async () => {
      const { output, error } = await decodeAll(decoderFor(codec), Buffer.concat([bytes, GARBAGE]), 4093);
      expect(error).toBeInstanceOf(CutStreamError);
      expect(output.equals(plain)).toBe(true);
    });
  });
});
