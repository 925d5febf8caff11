import { compressSync } from 'lz4-napi';
import { describe, expect, test } from 'vitest';
import { CutStreamError } from '../../../src/errors.js';
import { decodeLz4Blocks } from '../../../src/source/codecs/lz4-block.js';
import { xxhash32 } from '../../../fixtures/encode/xxhash32.js';
import { chunked, decodeAll } from './helpers.js';

const LEVEL_64K = 6; // log2(64 KiB) - 10

/** One block as lz4-java's LZ4BlockOutputStream writes it. */
function block(data: Buffer, method: 'raw' | 'lz4', checksum = xxhash32(data, 0x9747b28c) & 0x0fffffff, level = LEVEL_64K): Buffer {
  const payload = method === 'raw' ? data : compressSync(data).subarray(4); // drop lz4-napi's length prefix
  const header = Buffer.alloc(21);
  header.write('LZ4Block', 'latin1');
  header[8] = (method === 'raw' ? 0x10 : 0x20) | level;
  header.writeInt32LE(payload.length, 9);
  header.writeInt32LE(data.length, 13);
  header.writeUInt32LE(checksum, 17);
  return Buffer.concat([header, payload]);
}

const END = block(Buffer.alloc(0), 'raw', 0);
const TEXT_A = Buffer.from('{"Event":"SparkListenerLogStart","Spark Version":"3.5.1"}\n'.repeat(50));
const TEXT_B = Buffer.from('{"Event":"SparkListenerApplicationEnd","Timestamp":1}\n'.repeat(70));

describe('decodeLz4Blocks', () => {
  test('raw and compressed blocks, any chunking', async () => {
    const stream = Buffer.concat([block(TEXT_A, 'raw'), block(TEXT_B, 'lz4'), END]);
    for (const chunkSize of [1, 7, 21, 22, 4093]) {
      const { output, error } = await decodeAll(decodeLz4Blocks, stream, chunkSize);
      expect(error).toBeUndefined();
      expect(output.equals(Buffer.concat([TEXT_A, TEXT_B]))).toBe(true);
    }
  });

  test('blocks bigger than the decoder was sized for, between small ones (spark.io.compression.lz4.blockSize)', async () => {
    const big = Buffer.from('{"Event":"SparkListenerTaskEnd","Task Info":{"Host":"worker-1"}}\n'.repeat(60_000)); // 3.9 MB
    const level4M = 12; // log2(4 MiB) - 10
    // Incompressible: a compressed block bigger than the decoder's memory was made for (128 KiB), whose output
    // still fits in the chunk being gathered.
    let state = 1;
    const noise = Buffer.from(Array.from({ length: 200_000 }, () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) >>> 24));
    const level256K = 8; // log2(256 KiB) - 10
    expect(block(noise, 'lz4').length).toBeGreaterThan(200_000);
    const blocks = [
      block(TEXT_A, 'lz4'), block(noise, 'lz4', undefined, level256K), block(big, 'lz4', undefined, level4M), block(TEXT_B, 'raw'),
      block(big, 'raw', undefined, level4M), block(TEXT_A, 'lz4'), END,
    ];
    const { output, error } = await decodeAll(decodeLz4Blocks, Buffer.concat(blocks), 65_536);
    expect(error).toBeUndefined();
    expect(output.equals(Buffer.concat([TEXT_A, noise, big, TEXT_B, big, TEXT_A]))).toBe(true);
  });

  test("a stream's last chunk stays intact while another stream is decoded (decoders reuse their memory)", async () => {
    const first = decodeLz4Blocks(chunked(Buffer.concat([block(TEXT_A, 'lz4'), END]), 4093), 'a');
    const last = (await first.next()).value as Buffer;
    const second = decodeLz4Blocks(chunked(Buffer.concat([block(TEXT_B, 'lz4'), END]), 4093), 'b');
    expect(((await second.next()).value as Buffer).equals(TEXT_B)).toBe(true);
    expect(last.equals(TEXT_A)).toBe(true);
    expect((await first.next()).done).toBe(true);
  });

  test('a stream without its end block is cut, after yielding its blocks', async () => {
    const { output, error } = await decodeAll(decodeLz4Blocks, Buffer.concat([block(TEXT_A, 'lz4')]), 7);
    expect(output.equals(TEXT_A)).toBe(true);
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toMatch(/without its end block/);
  });

  test('a bad checksum stops at that block and names its offset', async () => {
    const first = block(TEXT_A, 'lz4');
    const stream = Buffer.concat([first, block(TEXT_B, 'lz4', 12345), END]);
    const { output, error } = await decodeAll(decodeLz4Blocks, stream);
    expect(output.equals(TEXT_A)).toBe(true);
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toBe(`lz4 stream corrupt: checksum mismatch in the block at byte ${first.length}`);
  });

  test('checksums are checked two blocks at a time: the blocks before the first bad one are handed on, whole', async () => {
    const texts = [TEXT_A, TEXT_B, Buffer.from(TEXT_A.toString().toUpperCase()), TEXT_B.subarray(3)];
    for (let bad = 0; bad < texts.length; bad++) {
      const blocks = texts.map((text, i) => block(text, i % 2 ? 'raw' : 'lz4', i === bad ? 7 : undefined));
      for (const chunkSize of [64, 100_000]) {
        const { output, error } = await decodeAll(decodeLz4Blocks, Buffer.concat([...blocks, END]), chunkSize);
        expect(output.equals(Buffer.concat(texts.slice(0, bad))), `bad block ${bad}, chunks of ${chunkSize}`).toBe(true);
        const at = Buffer.concat(blocks.slice(0, bad)).length;
        expect((error as Error).message).toBe(`lz4 stream corrupt: checksum mismatch in the block at byte ${at}`);
      }
    }
  });

  test('a bad checksum before a block that fails to decode is the error named: it is the first damage', async () => {
    const first = block(TEXT_A, 'lz4', 7);
    const undecodable = block(TEXT_B, 'lz4');
    undecodable.fill(0xff, 21, 40);
    const { output, error } = await decodeAll(decodeLz4Blocks, Buffer.concat([first, undecodable, END]));
    expect(output.length).toBe(0);
    expect((error as Error).message).toBe('lz4 stream corrupt: checksum mismatch in the block at byte 0');
  });

  test('a corrupt compressed payload is caught', async () => {
    const bad = block(TEXT_B, 'lz4');
    bad.fill(0xff, 21, 40);
    const first = block(TEXT_A, 'raw');
    const { output, error } = await decodeAll(decodeLz4Blocks, Buffer.concat([first, bad, END]));
    expect(output.equals(TEXT_A)).toBe(true);
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toMatch(`lz4 stream corrupt: block at byte ${first.length} fails to decode`);
  });

  test('an impossible header (original length over the block size) is corruption', async () => {
    const bad = block(TEXT_B, 'lz4');
    bad.writeInt32LE(1 << 20, 13);
    const first = block(TEXT_A, 'raw');
    const { error } = await decodeAll(decodeLz4Blocks, Buffer.concat([first, bad]));
    expect((error as Error).message).toBe(`lz4 stream corrupt: bad block header at byte ${first.length}`);
  });

  test('a block that decodes to a different length than announced is corruption', async () => {
    const short = block(TEXT_B, 'lz4');
    short.writeInt32LE(TEXT_B.length - 1, 13);
    const { error } = await decodeAll(decodeLz4Blocks, Buffer.concat([short, END]));
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toMatch(/^lz4 stream corrupt: block at byte 0/);
  });

  test('a stream ending inside a block says where', async () => {
    const stream = Buffer.concat([block(TEXT_A, 'raw'), block(TEXT_B, 'lz4')]);
    const { output, error } = await decodeAll(decodeLz4Blocks, stream.subarray(0, stream.length - 5), 13);
    expect(output.equals(TEXT_A)).toBe(true);
    expect((error as Error).message).toBe(`lz4 stream ends inside a block at byte ${stream.length - 5}`);
  });
});
