import { describe, expect, test } from 'vitest';
import { CutStreamError, InputError } from '../../../src/errors.js';
import { decodeLzf } from '../../../src/source/codecs/lzf.js';
import { chunked, decodeAll } from './helpers.js';

function storedChunk(data: Buffer): Buffer {
  const header = Buffer.from([0x5a, 0x56, 0, 0, 0]);
  header.writeUInt16BE(data.length, 3);
  return Buffer.concat([header, data]);
}

function compressedChunk(lzf: number[], originalLength: number): Buffer {
  const header = Buffer.from([0x5a, 0x56, 1, 0, 0, 0, 0]);
  header.writeUInt16BE(lzf.length, 3);
  header.writeUInt16BE(originalLength, 5);
  return Buffer.concat([header, Buffer.from(lzf)]);
}

const ch = (text: string) => [...Buffer.from(text, 'latin1')];
// Literal run 'abc', then a back-reference of 7 + 0 + 2 = 9 bytes at distance 3: it overlaps its own output.
const ABC_X4 = compressedChunk([2, ...ch('abc'), 0xe0, 0x00, 0x02], 12);
// Literal run 'xy', then a back-reference of 1 + 2 = 3 bytes at distance 2, then literal '!'.
const XYXYX = compressedChunk([1, ...ch('xy'), 0x20, 0x01, 0, ...ch('!')], 6);

describe('decodeLzf', () => {
  test('stored and compressed chunks, back-references that overlap their output, any chunking', async () => {
    const stream = Buffer.concat([storedChunk(Buffer.from('plain;')), ABC_X4, XYXYX]);
    for (const chunkSize of [1, 4, 5, 7, 4093]) {
      const { output, error } = await decodeAll(decodeLzf, stream, chunkSize);
      expect(error).toBeUndefined();
      expect(output.toString('latin1')).toBe('plain;abcabcabcabcxyxyx!');
    }
  });

  test("a stream's last chunk stays intact while another stream is decoded (decoders reuse their memory)", async () => {
    const first = decodeLzf(chunked(ABC_X4, 4093), 'a');
    const last = (await first.next()).value as Buffer;
    const second = decodeLzf(chunked(XYXYX, 4093), 'b');
    expect(((await second.next()).value as Buffer).toString()).toBe('xyxyx!');
    expect(last.toString()).toBe('abcabcabcabc');
    expect((await first.next()).done).toBe(true);
  });

  test('an unknown chunk type at byte 0 is not lzf at all', async () => {
    const { error } = await decodeAll(decodeLzf, Buffer.from([0x5a, 0x56, 7, 0, 1, 0x41]), 4093, 'f');
    expect(error).toBeInstanceOf(InputError);
    expect((error as Error).message).toBe('f: not an lzf stream (bad magic at byte 0)');
  });

  test('a bad chunk header after good chunks is corruption at that offset', async () => {
    const { output, error } = await decodeAll(decodeLzf, Buffer.concat([ABC_X4, Buffer.from('ZX\x00\x00\x01A')]));
    expect(output.toString()).toBe('abcabcabcabc');
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toBe(`lzf stream corrupt: bad chunk header at byte ${ABC_X4.length}`);
  });

  test('a back-reference before the start of the chunk is corruption', async () => {
    const bad = compressedChunk([0, ...ch('a'), 0x20, 0x05], 4);
    const { output, error } = await decodeAll(decodeLzf, Buffer.concat([XYXYX, bad]));
    expect(output.toString()).toBe('xyxyx!');
    expect((error as Error).message).toBe(`lzf stream corrupt: chunk at byte ${XYXYX.length} fails to decode`);
  });

  test('a chunk decoding to another length than declared is corruption', async () => {
    const { error } = await decodeAll(decodeLzf, compressedChunk([1, ...ch('xy')], 3));
    expect((error as Error).message).toBe('lzf stream corrupt: chunk at byte 0 decodes to 2 bytes, not 3');
  });

  test('a stream ending inside a chunk says where', async () => {
    const stream = Buffer.concat([XYXYX, storedChunk(Buffer.from('0123456789'))]);
    const { output, error } = await decodeAll(decodeLzf, stream.subarray(0, stream.length - 3), 2);
    expect(output.toString()).toBe('xyxyx!');
    expect((error as Error).message).toBe(`lzf stream ends inside a chunk at byte ${stream.length - 3}`);
  });
});
