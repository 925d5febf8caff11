import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { CutStreamError } from '../../../src/errors.js';
import { decodeGzip } from '../../../src/source/codecs/gzip.js';
import { chunked, decodeAll } from './helpers.js';

const TEXT_A = Buffer.from('{"Event":"SparkListenerExecutorAdded","Executor ID":"1"}\n'.repeat(2000));
const TEXT_B = Buffer.from('{"Event":"SparkListenerExecutorRemoved","Executor ID":"1"}\n'.repeat(1000));

describe('decodeGzip', () => {
  test('several members back to back, any chunking', async () => {
    const stream = Buffer.concat([gzipSync(TEXT_A), gzipSync(TEXT_B)]);
    for (const chunkSize of [1, 7, 4093]) {
      const { output, error } = await decodeAll(decodeGzip, stream, chunkSize);
      expect(error).toBeUndefined();
      expect(output.equals(Buffer.concat([TEXT_A, TEXT_B]))).toBe(true);
    }
  });

  test('a cut member yields everything before the cut, then CutStreamError saying where', async () => {
    const first = gzipSync(TEXT_A);
    const stream = Buffer.concat([first, gzipSync(TEXT_B)]);
    const cut = first.length + 100;
    const { output, error } = await decodeAll(decodeGzip, stream.subarray(0, cut), 7);
    expect(output.subarray(0, TEXT_A.length).equals(TEXT_A)).toBe(true);
    expect(output.length).toBeGreaterThan(TEXT_A.length);
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toBe(`gzip stream ends inside a member at byte ${cut}`);
  });

  test('zeros after the last member are padding; other bytes are corruption, after every member was handed on', async () => {
    const members = Buffer.concat([gzipSync(TEXT_A), gzipSync(TEXT_B)]);
    const padded = await decodeAll(decodeGzip, Buffer.concat([members, Buffer.alloc(5000)]), 4093);
    expect(padded.error).toBeUndefined();
    expect(padded.output.equals(Buffer.concat([TEXT_A, TEXT_B]))).toBe(true);
    const trailing = await decodeAll(decodeGzip, Buffer.concat([members, Buffer.alloc(10), Buffer.from('not gzip')]), 4093);
    expect(trailing.output.equals(Buffer.concat([TEXT_A, TEXT_B]))).toBe(true);
    expect(trailing.error).toBeInstanceOf(CutStreamError);
    expect((trailing.error as Error).message).toBe(`gzip stream corrupt: bytes after the member ending at byte ${members.length} are not gzip`);
  });

  test('a member header with a name, a comment, extra fields and a header CRC (gzip -N, other writers)', async () => {
    const plain = gzipSync(TEXT_B);
    const deflateAndTrailer = plain.subarray(10);
    const header = Buffer.from([0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3]);
    const extra = Buffer.from([4, 0, 0x41, 0x42, 2, 0]);
    const rich = Buffer.concat([header, extra, Buffer.from('eventlog\0a comment\0', 'latin1'), Buffer.from([0x12, 0x34]), deflateAndTrailer]);
    for (const chunkSize of [1, 7, 4093]) {
      const { output, error } = await decodeAll(decodeGzip, Buffer.concat([rich, gzipSync(TEXT_A)]), chunkSize);
      expect(error).toBeUndefined();
      expect(output.equals(Buffer.concat([TEXT_B, TEXT_A]))).toBe(true);
    }
  });

  test("a member whose CRC-32 or length does not match its data is corruption", async () => {
    const first = gzipSync(TEXT_A);
    for (const [at, check] of [[8, 'CRC-32'], [4, 'length']] as const) {
      const bad = gzipSync(TEXT_B);
      bad[bad.length - at] ^= 0x01;
      const { output, error } = await decodeAll(decodeGzip, Buffer.concat([first, bad]));
      expect(output.equals(Buffer.concat([TEXT_A, TEXT_B]))).toBe(true);
      expect((error as Error).message).toBe(`gzip stream corrupt: the member at byte ${first.length} fails its ${check} check`);
    }
  });

  test('a log read whole (each member inflated in one call) decodes and fails as one read in pieces', async () => {
    const [a, b] = [gzipSync(TEXT_A), gzipSync(TEXT_B)];
    const badCrc = Buffer.from(b);
    badCrc[badCrc.length - 8] ^= 0x01;
    const damaged = Buffer.from(b).fill(0xff, 20, 40);
    const inputs = {
      members: Buffer.concat([a, b]),
      padded: Buffer.concat([a, b, Buffer.alloc(100)]),
      cut: Buffer.concat([a, b]).subarray(0, a.length + 30),
      'bad CRC': Buffer.concat([a, badCrc]),
      damaged: Buffer.concat([a, damaged]),
      // Decodes to more than is inflated in one call: streams.
      'over 16 MiB': Buffer.concat([gzipSync(Buffer.alloc(17 * 1024 * 1024, 0x20)), a]),
    };
    // Where zlib noticed damage depends on how much it was fed at once: "near byte N".
    const message = (error: unknown) => (error as Error | undefined)?.message.replace(/near byte \d+/, 'near byte N');
    for (const [name, bytes] of Object.entries(inputs)) {
      const whole = await decodeAll(decodeGzip, bytes, bytes.length);
      const pieces = await decodeAll(decodeGzip, bytes, 7);
      expect(whole.output.equals(pieces.output), name).toBe(true);
      expect(message(whole.error), name).toBe(message(pieces.error));
    }
    expect((await decodeAll(decodeGzip, inputs.members, inputs.members.length)).output.equals(Buffer.concat([TEXT_A, TEXT_B]))).toBe(true);
    // Memory stays bounded: no piece handed on is bigger than what is inflated in one call.
    let biggest = 0;
    for await (const piece of decodeGzip(chunked(inputs['over 16 MiB'], Infinity), 'big.gz')) biggest = Math.max(biggest, piece.length);
    expect(biggest).toBeLessThanOrEqual(16 * 1024 * 1024);
  });

  test('damaged deflate data is corruption', async () => {
    const bad = gzipSync(TEXT_B);
    bad.fill(0xff, 20, 40);
    const { error } = await decodeAll(decodeGzip, Buffer.concat([gzipSync(TEXT_A), bad]));
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toMatch(/^gzip stream corrupt near byte \d+: /);
  });
});
