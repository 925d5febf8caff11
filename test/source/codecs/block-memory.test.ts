import { compressSync, uncompressSync } from 'lz4-napi';
import { describe, expect, test } from 'vitest';
import { lzfCompress } from '../../../fixtures/encode/lzf.js';
import { type BlockFormat, BlockMemory } from '../../../src/source/codecs/block-memory.js';
import { BLOCKS_WASM } from '../../../src/source/codecs/blocks-wasm.js';
import { BLOCKS_WAT, compileWat, embeddedModule } from '../../tools/compile-wasm.js';

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
  // the distance is shorter), between runs of noise that no match spans.
  for (let distance = 1; distance <= 24; distance++) {
    const parts: Buffer[] = [];
    for (let length = 4; length <= 20; length++) {
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

/** The raw block for `data`, as lz4-java and compress-lzf write inside their framing. */
const COMPRESSORS: Record<BlockFormat, (data: Buffer) => Buffer> = {
  lz4: (data) => compressSync(data).subarray(4), // lz4-napi prefixes the original length
  lzf: (data) => Buffer.from(lzfCompress(data)),
};

/** What lz4-napi makes of a block: the reference the LZ4 decoder is held to, also on damaged blocks. */
function referenceLz4(block: Buffer, length: number): Buffer | undefined {
  const prefixed = Buffer.concat([Buffer.alloc(4), block]);
  prefixed.writeUInt32LE(length, 0);
  try {
    return uncompressSync(prefixed);
  } catch {
    return undefined;
  }
}

test('the embedded module is the compiled blocks.wat (run `npm run wasm` after changing it)', async () => {
  expect(embeddedModule(await compileWat(BLOCKS_WAT))).toContain(`'${BLOCKS_WASM}'`);
});

describe.each(['lz4', 'lzf'] as const)('the %s block decoder (WebAssembly)', (format) => {
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
      const reference = format === 'lz4' && decoded === data.length ? referenceLz4(damaged, data.length) : undefined;
      if (reference?.length === data.length) expect(memory.output(before.length, data.length).equals(reference)).toBe(true);
    }
    expect(refused).toBeGreaterThan(format === 'lz4' ? 1000 : 100);
  });
});
