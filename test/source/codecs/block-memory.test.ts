import { compressSync, uncompressSync } from 'lz4-napi';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';
import { describe, expect, test } from 'vitest';
import { lzfCompress } from '../../../fixtures/encode/lzf.js';
import { type BlockFormat, BlockMemory } from '../../../src/source/codecs/block-memory.js';
import { BLOCKS_WASM } from '../../../src/source/codecs/blocks-wasm.js';
import { BLOCKS, compileWat, embeddedModule } from '../../tools/compile-wasm.js';

/** A deterministic byte generator, so a failure names an input that can be made again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state >>> 16;
  };
}

/** Inputs that reach every path of the decoder: literal runs and matches of every length, overlapping matches. */
function samples(): { name: string; data: Buffer }[] {
  const next = random(42);
  const noise = (n: number) => Buffer.from(Array.from({ length: n }, () => next() & 0xff));
  const json = Buffer.from(
    Array.from({ length: 400 }, (_, i) => `{"Event":"SparkListenerTaskEnd","Stage ID":${i % 7},"Task Info":{"Task ID":${i * 31},"Host":"worker-${i % 5}"}}\n`).join(''),
  );
  const samples = [
    { name: 'empty', data: Buffer.alloc(0) },
    { name: 'one byte', data: Buffer.from('x') },
    { name: 'task-end lines', data: json },
    { name: 'noise (literals only)', data: noise(70_000) },
    { name: 'one repeated byte (offset 1)', data: Buffer.alloc(100_000, 0x61) },
    { name: 'long literal run then long match', data: Buffer.concat([noise(5_000), noise(300), Buffer.alloc(9_000, 7)]) },
  ];
  // Every short period (offsets 2-40) overlaps its own output in at least one match.
  for (let period = 2; period <= 40; period++) samples.push({ name: `period ${period}`, data: Buffer.from(noise(period).toString('latin1').repeat(50), 'latin1') });
  // Short matches at every short distance: each repeats the `length` bytes `distance` back (overlapping when
  // the distance is shorter), between runs of noise that no match spans. Up to 40 back and 36 long: the lz4
  // decoder moves matches of up to 32 bytes at least 16 back in two 16-byte steps.
  for (let distance = 1; distance <= 40; distance++) {
    const parts: Buffer[] = [];
    for (let length = 4; length <= 36; length++) {
      const repeated = Buffer.alloc(distance + length);
      noise(distance).copy(repeated);
      for (let i = distance; i < repeated.length; i++) repeated[i] = repeated[i - distance]!;
      parts.push(repeated, noise(12));
    }
    samples.push({ name: `short matches ${distance} back`, data: Buffer.concat(parts) });
  }
  // Text with repeats at every distance and length.
  for (let i = 0; i < 30; i++) {
    const parts: Buffer[] = [];
    for (let n = 0; n < 200; n++) {
      const start = Buffer.concat(parts);
      if (start.length > 20 && next() % 2 === 0) {
        const from = next() % start.length;
        parts.push(start.subarray(from, from + (next() % 300)));
      } else parts.push(noise(next() % 40));
    }
    samples.push({ name: `mixed ${i}`, data: Buffer.concat(parts) });
  }
  return samples;
}

/** A varint, as snappy blocks start with their decoded length. */
function varint(value: number): Buffer {
  const bytes: number[] = [];
  for (; value >= 0x80; value = Math.floor(value / 128)) bytes.push((value & 0x7f) | 0x80);
  return Buffer.from([...bytes, value]);
}

/** The block for `data` as blocks.wat reads it: as lz4-java and compress-lzf write it, snappy's without its length. */
const COMPRESSORS: Record<BlockFormat, (data: Buffer) => Buffer> = {
  lz4: (data) => compressSync(data).subarray(4), // lz4-napi prefixes the original length
  lzf: (data) => Buffer.from(lzfCompress(data)),
  snappy: (data) => {
    const block = snappyCompress(data) as Buffer;
    return block.subarray(varint(data.length).length);
  },
};

/** What the native libraries make of a block: the reference the decoders are held to, also on damaged blocks. */
const REFERENCES: Partial<Record<BlockFormat, (block: Buffer, length: number) => Buffer>> = {
  lz4: (block, length) => {
    const prefixed = Buffer.concat([Buffer.alloc(4), block]);
    prefixed.writeUInt32LE(length, 0);
    return uncompressSync(prefixed);
  },
  snappy: (block, length) => snappyUncompress(Buffer.concat([varint(length), block])) as Buffer,
};

function reference(format: BlockFormat, block: Buffer, length: number): Buffer | undefined {
  try {
    return REFERENCES[format]?.(block, length);
  } catch {
    return undefined;
  }
}

test('the embedded module is the compiled blocks.wat (run `npm run wasm` after changing it)', async () => {
  expect(embeddedModule(BLOCKS, await compileWat(BLOCKS.wat))).toContain(`'${BLOCKS_WASM}'`);
});

describe.each(['lz4', 'lzf', 'snappy'] as const)('the %s block decoder (WebAssembly)', (format) => {
  const compress = COMPRESSORS[format];

  test('decodes what was compressed, byte for byte, at any place in its output area', () => {
    const memory = new BlockMemory(format);
    for (const { name, data } of samples()) {
      const block = compress(data);
      memory.reserve(block.length, data.length + 1000);
      for (const at of [0, 1, 999]) {
        expect(memory.decode(block, at, data.length), name).toBe(data.length);
        expect(memory.output(at, data.length).equals(data), name).toBe(true);
      }
    }
  });

  test('damaged blocks are refused or decode to other bytes, and never write before their place', () => {
    const memory = new BlockMemory(format);
    const next = random(7);
    const data = samples().find((s) => s.name === 'task-end lines')!.data;
    const block = compress(data);
    const before = Buffer.alloc(4096, 0x5a);
    memory.reserve(block.length, before.length + data.length);
    let refused = 0;
    for (let i = 0; i < 3000; i++) {
      const damaged = Buffer.from(block.subarray(0, next() % 4 === 0 ? next() % block.length : block.length));
      for (let flips = 1 + (next() % 3); flips > 0; flips--) damaged[next() % damaged.length] = next() & 0xff;
      memory.store(before, 0);
      const decoded = memory.decode(damaged, before.length, data.length);
      if (decoded === -1) refused++;
      else expect(decoded).toBeLessThanOrEqual(data.length);
      expect(memory.output(0, before.length).equals(before)).toBe(true);
      // Whatever it gave agrees with the reference decoder when that one accepts the block too.
      const expected = decoded === data.length ? reference(format, damaged, data.length) : undefined;
      if (expected?.length === data.length) expect(memory.output(before.length, data.length).equals(expected)).toBe(true);
    }
    expect(refused).toBeGreaterThan(format === 'lzf' ? 100 : 1000);
  });
});

describe('the snappy block decoder, elements no snappy writer emits here', () => {
  // Literal lengths in 2-4 extra bytes and copies with 4-byte offsets need blocks over 64 KiB, which snappy
  // writers split into 64 KiB fragments; another writer may still use them.
  const run = (block: Buffer, expected: Buffer) => {
    const memory = new BlockMemory('snappy');
    memory.reserve(block.length, expected.length);
    expect(memory.decode(block, 0, expected.length)).toBe(expected.length);
    return memory.output(0, expected.length);
  };

  test('a literal whose length takes 1, 2, 3 or 4 more bytes', () => {
    for (const [tag, bytes] of [[60, 1], [61, 2], [62, 3], [63, 4]] as const) {
      const literal = Buffer.alloc(200, 0x61 + bytes);
      const length = Buffer.alloc(4);
      length.writeUInt32LE(literal.length - 1);
      const block = Buffer.concat([Buffer.from([tag << 2]), length.subarray(0, bytes), literal]);
      expect(run(block, literal).equals(literal)).toBe(true);
    }
  });

  test('copies with 1-, 2- and 4-byte offsets, overlapping their output or not', () => {
    const abc = [...Buffer.from('abcdefgh')];
    // literal "abcdefgh"; copy-1 of 6 bytes at offset 8; copy-2 of 20 at offset 3; copy-4 of 5 at offset 14.
    const elements = [7 << 2, ...abc, 0x01 | ((6 - 4) << 2), 8, 0x02 | ((20 - 1) << 2), 3, 0, 0x03 | ((5 - 1) << 2), 14, 0, 0, 0];
    const text = 'abcdefgh' + 'abcdef' + 'defdefdefdefdefdefde';
    const expected = Buffer.from(text + text.slice(text.length - 14, text.length - 9));
    expect(run(Buffer.from(elements), expected).toString()).toBe(expected.toString());
  });

  test('a copy reaching before the block, a zero offset or a literal longer than the block are refused', () => {
    const memory = new BlockMemory('snappy');
    memory.reserve(64, 64);
    expect(memory.decode(Buffer.from([0 << 2, 0x61, 0x02 | (3 << 2), 2, 0]), 0, 5)).toBe(-1);
    expect(memory.decode(Buffer.from([0 << 2, 0x61, 0x02 | (0 << 2), 0, 0]), 0, 2)).toBe(-1);
    expect(memory.decode(Buffer.from([63 << 2, 0xff, 0xff, 0xff, 0xff, 0x61]), 0, 1)).toBe(-1);
  });
});
