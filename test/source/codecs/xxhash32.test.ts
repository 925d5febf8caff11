import { describe, expect, test } from 'vitest';
import { xxhash32 } from '../../../src/source/codecs/xxhash32.js';

describe('xxhash32', () => {
  // Reference values of the XXH32 specification's implementation.
  test.each([
    ['', 0, 0x02cc5d05],
    ['a', 0, 0x550d7456],
    ['abc', 0, 0x32d153ff],
    ['Nobody inspects the spammish repetition', 0, 0xe2293b2f],
  ])('%j with seed %i', (text, seed, expected) => {
    expect(xxhash32(Buffer.from(text), seed)).toBe(expected);
  });

  test('reads a Buffer that is a view into a larger one', () => {
    const text = Buffer.from('Nobody inspects the spammish repetition');
    const view = Buffer.concat([Buffer.from('xyz'), text]).subarray(3);
    expect(xxhash32(view, 0)).toBe(xxhash32(text, 0));
  });
});
