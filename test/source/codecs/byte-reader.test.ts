import { expect, test } from 'vitest';
import { ByteReader } from '../../../src/source/codecs/byte-reader.js';

async function* chunks(...parts: string[]): AsyncGenerator<Buffer> {
  for (const part of parts) yield Buffer.from(part);
}

test('empty chunks in the input are read past, not taken for its end', async () => {
  const reader = new ByteReader(chunks('', 'ab', '', '', 'cdef', '', 'g', ''));
  expect((await reader.peek(1)).toString()).toBe('a');
  expect((await reader.read(3)).toString()).toBe('abc');
  expect((await reader.readChunk())?.toString()).toBe('def');
  expect((await reader.read(4)).toString()).toBe('g');
  expect(reader.offset).toBe(7);
  expect(await reader.readChunk()).toBeUndefined();
  expect((await reader.peek(2)).length).toBe(0);
});
