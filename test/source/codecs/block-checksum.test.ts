import { randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { xxhash32 } from '../../../fixtures/encode/xxhash32.js';
import { BlockMemory } from '../../../src/source/codecs/block-memory.js';

/** XXH32 of `data` with `seed` as BlockMemory computes it, the bytes stored `at` bytes into its output area. */
function checksumInMemory(data: Buffer, seed: number, at = 0): number {
  const memory = new BlockMemory('lz4');
  memory.reserve(0, at + data.length);
  memory.store(data, at);
  return memory.checksum(at, data.length, seed);
}

describe('the XXH32 of a decoded block, computed where it was decoded (blocks.wat)', () => {
  // Reference values of the XXH32 specification's implementation.
  test.each([
    ['', 0, 0x02cc5d05],
    ['a', 0, 0x550d7456],
    ['abc', 0, 0x32d153ff],
    ['Nobody inspects the spammish repetition', 0, 0xe2293b2f],
  ])('%j with seed %i', (text, seed, expected) => {
    expect(checksumInMemory(Buffer.from(text), seed)).toBe(expected);
    expect(xxhash32(Buffer.from(text), seed)).toBe(expected);
  });

  test('equals the reference for every length up to 300 bytes, at any alignment, and for whole blocks', () => {
    // Lengths cross every branch: below one 16-byte stripe, stripes with 0-3 words and 0-3 bytes left over.
    const seeds = [0, 0x9747b28c, 0xffffffff, 1];
    for (let length = 0; length <= 300; length++) {
      const data = randomBytes(length);
      const seed = seeds[length % seeds.length]!;
      expect(checksumInMemory(data, seed, length % 17), `length ${length}`).toBe(xxhash32(data, seed));
    }
    // lz4-java's 32 KiB and 64 KiB blocks (Spark's default and the fixtures'), and a last block of odd size.
    for (const length of [32 * 1024, 64 * 1024, 64 * 1024 - 13]) {
      const data = randomBytes(length);
      expect(checksumInMemory(data, 0x9747b28c, 5), `length ${length}`).toBe(xxhash32(data, 0x9747b28c));
    }
  });

  test('two blocks hashed in one pass: each is checked against its own hash, for any two lengths', () => {
    const hashing = { seed: 0x9747b28c, mask: 0x0fffffff, mismatch: () => '' };
    const pairs = [[0, 5], [15, 40], [16, 16], [17, 300], [40, 3], [32 * 1024, 32 * 1024], [32 * 1024, 1000], [64 * 1024 - 13, 32 * 1024]];
    for (const [lengthA, lengthB] of pairs) {
      const a = randomBytes(lengthA!);
      const b = randomBytes(lengthB!);
      const memory = new BlockMemory('lz4');
      memory.reserve(0, a.length + b.length + 3);
      memory.store(a, 3);
      memory.store(b, 3 + a.length);
      const expected = [a, b].map((data) => xxhash32(data, hashing.seed) & hashing.mask);
      const blocks = (hashes: number[]) => [
        { at: 3, length: a.length, expected: hashes[0]!, start: 0 },
        { at: 3 + a.length, length: b.length, expected: hashes[1]!, start: 1 },
      ];
      const label = `lengths ${lengthA} and ${lengthB}`;
      expect(memory.firstMismatch(blocks(expected), hashing), label).toBe(-1);
      expect(memory.firstMismatch(blocks([expected[0]!, expected[1]! ^ 1]), hashing), label).toBe(1);
      expect(memory.firstMismatch(blocks([expected[0]! ^ 1, expected[1]!]), hashing), label).toBe(0);
      expect(memory.firstMismatch(blocks(expected).slice(1), hashing), label).toBe(-1);
    }
  });
});
