import { gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { CutStreamError } from '../../../src/errors.js';
import { decodeGzip } from '../../../src/source/codecs/gzip.js';
import { decodeAll } from './helpers.js';

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

  test('damaged deflate data is corruption', async () => {
    const bad = gzipSync(TEXT_B);
    bad.fill(0xff, 20, 40);
    const { error } = await decodeAll(decodeGzip, Buffer.concat([gzipSync(TEXT_A), bad]));
    expect(error).toBeInstanceOf(CutStreamError);
    expect((error as Error).message).toMatch(/^gzip stream corrupt near byte \d+: /);
  });
});
