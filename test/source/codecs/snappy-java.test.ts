import { compressSync } from 'snappy';
import { describe, expect, test } from 'vitest';
import { CutStreamError, InputError } from '../../../src/errors.js';
import { decodeSnappyJava } from '../../../src/source/codecs/snappy-java.js';
import { decodeAll } from './helpers.js';

function streamHeader(compatibleVersion = 1): Buffer {
  const header = Buffer.alloc(16);
  header.write('\x82SNAPPY\x00', 'latin1');
  header.writeInt32BE(1, 8);
  header.writeInt32BE(compatibleVersion, 12);
  return header;
}

/** One block as snappy-java's SnappyOutputStream writes it: int32 BE length, raw snappy block. */
function block(data: Buffer): Buffer {
  const compressed = compressSync(data);
  const length = Buffer.alloc(4);
  length.writeInt32BE(compressed.length);
  return Buffer.concat([length, compressed]);
}

const TEXT_A = Buffer.from('{"Event":"SparkListenerJobStart","Job ID":1}\n'.repeat(40));
const TEXT_B = Buffer.from('{"Event":"SparkListenerJobEnd","Job ID":1}\n'.repeat(30));

describe('decodeSnappyJava', () => {
  test('blocks, and a second stream header in the middle, under any chunking', async () => {
    const stream = Buffer.concat([streamHeader(), block(TEXT_A), streamHeader(), block(TEXT_B), block(TEXT_A)]);
    for (const chunkSize of [1, 5, 16, 17, 4093]) {
      const { output, error } = await decodeAll(decodeSnappyJava, stream, chunkSize);
      expect(error).toBeUndefined();
      expect(output.equals(Buffer.concat([TEXT_A, TEXT_B, TEXT_A]))).toBe(true);
    }
  });

  test('a header alone is an empty stream', async () => {
    expect(await decodeAll(decodeSnappyJava, streamHeader())).toEqual({ output: Buffer.alloc(0), error: undefined });
  });

  test('a bad block length after good blocks is corruption at that offset', async () => {
    const good = Buffer.concat([streamHeader(), block(TEXT_A)]);
    const { output, error } = await decodeAll(decodeSnappyJava, Buffer.concat([good, Buffer.from([0, 0, 0, 0]), block(TEXT_B)]));
    expect(output.equals(TEXT_A)).toBe(true);
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toBe(`snappy stream corrupt: bad block length 0 at byte ${good.length}`);
  });

  test('an undecodable block is corruption at that offset', async () => {
    const good = Buffer.concat([streamHeader(), block(TEXT_A)]);
    const bad = block(TEXT_B);
    bad.fill(0xfe, 4, 12);
    const { output, error } = await decodeAll(decodeSnappyJava, Buffer.concat([good, bad]));
    expect(output.equals(TEXT_A)).toBe(true);
    expect((error as Error).message).toMatch(`snappy stream corrupt: block at byte ${good.length} fails to decode`);
  });

  test('a stream needing a newer format version cannot be read', async () => {
    const { error } = await decodeAll(decodeSnappyJava, Buffer.concat([streamHeader(2), block(TEXT_A)]), 4093, 'f');
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toMatch(/^f: snappy-java stream needs format version 2 \(byte 12\)/);
  });

  test('a stream ending inside a block length says where', async () => {
    const stream = Buffer.concat([streamHeader(), block(TEXT_A), Buffer.from([0, 0])]);
    const { output, error } = await decodeAll(decodeSnappyJava, stream, 3);
    expect(output.equals(TEXT_A)).toBe(true);
    expect((error as Error).message).toBe(`snappy stream ends inside a block length at byte ${stream.length}`);
  });
});
