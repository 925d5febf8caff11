import { describe, expect, test } from 'vitest';
import { compress } from 'zstd-napi';
import { CutStreamError } from '../../../src/errors.js';
import { decodeZstd } from '../../../src/source/codecs/zstd.js';
import { decodeAll } from './helpers.js';

const TEXT_A = Buffer.from('{"Event":"SparkListenerTaskEnd","Stage ID":3}\n'.repeat(3000));
const TEXT_B = Buffer.from('{"Event":"SparkListenerStageCompleted","Stage ID":3}\n'.repeat(2000));

/** A skippable frame: zstd decoders must step over it. */
function skippableFrame(content: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt32LE(0x184d2a53, 0);
  header.writeUInt32LE(content.length, 4);
  return Buffer.concat([header, content]);
}

describe('decodeZstd', () => {
  test('frames and skippable frames back to back, any chunking', async () => {
    const stream = Buffer.concat([compress(TEXT_A), skippableFrame(Buffer.from('metadata')), compress(TEXT_B)]);
    for (const chunkSize of [1, 3, 4, 4093, 1 << 20]) {
      const { output, error } = await decodeAll(decodeZstd, stream, chunkSize);
      expect(error).toBeUndefined();
      expect(output.equals(Buffer.concat([TEXT_A, TEXT_B]))).toBe(true);
    }
  });

  test('output larger than one output buffer from a single input chunk is all yielded', async () => {
    const big = Buffer.alloc(1 << 20, 'spark ');
    const { output, error } = await decodeAll(decodeZstd, compress(big), 1 << 20);
    expect(error).toBeUndefined();
    expect(output.equals(big)).toBe(true);
  });

  test('garbage after a frame is corruption at the offset where the next frame should start', async () => {
    const frame = compress(TEXT_A);
    const { output, error } = await decodeAll(decodeZstd, Buffer.concat([frame, Buffer.from('oops, not zstd')]));
    expect(output.equals(TEXT_A)).toBe(true);
    expect((error as Error).message).toBe(`zstd stream corrupt: bad frame magic at byte ${frame.length}`);
  });

  test('damaged data inside a frame names the frame', async () => {
    const first = compress(TEXT_A);
    const second = compress(TEXT_B);
    second.fill(0xff, 10, 30);
    const { output, error } = await decodeAll(decodeZstd, Buffer.concat([first, second]));
    expect(output.equals(TEXT_A)).toBe(true);
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toMatch(`zstd data corrupt in the frame at byte ${first.length}: `);
  });

  test('a cut inside a frame header or frame says where', async () => {
    const frame = compress(TEXT_A);
    const inHeader = await decodeAll(decodeZstd, Buffer.concat([frame, frame.subarray(0, 2)]));
    expect(inHeader.output.equals(TEXT_A)).toBe(true);
    expect((inHeader.error as Error).message).toBe(`zstd stream ends inside a frame header at byte ${frame.length + 2}`);
    const inFrame = await decodeAll(decodeZstd, frame.subarray(0, frame.length - 1));
    expect((inFrame.error as Error).message).toBe(`zstd stream ends at byte ${frame.length - 1}, inside the frame that starts at byte 0`);
  });
});
