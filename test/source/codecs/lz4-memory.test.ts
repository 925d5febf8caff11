import { compressSync, uncompressSync } from 'lz4-napi';
import { describe, expect, test } from 'vitest';
import { LZ4_BLOCK_WASM } from '../../../src/source/codecs/lz4-block-wasm.js';
import { Lz4Memory } from '../../../src/source/codecs/lz4-memory.js';
import { LZ4_WAT, compileWat, embeddedModule } from '../../tools/compile-wasm.js';

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

/** The raw LZ4 block for `data`, as lz4-java writes inside its frames. */
function compressBlock(data: Buffer): Buffer {
  return compressSync(data).subarray(4); // lz4-napi prefixes the original length
}

describe('the lz4 block decoder (WebAssembly)', () => {
  test('the embedded module is the compiled lz4-block.wat (run `npm run wasm` after changing it)', async () => {
    expect(embeddedModule(await compileWat(LZ4_WAT))).toContain(`'${LZ4_BLOCK_WASM}'`);
  });

  test('decodes what lz4 compressed, byte for byte, at any place in its output area', () => {
    const memory = new Lz4Memory();
    for (const { name, data } of samples()) {
      const block = compressBlock(data);
      memory.reserve(block.length, data.length + 1000);
      for (const at of [0, 1, 999]) {
        expect(memory.decode(block, at, data.length), name).toBe(data.length);
        expect(memory.output(at, data.length).equals(data), name).toBe(true);
      }
    }
  });

  test('damaged blocks are refused or decode to other bytes, and never write before their place', () => {
    const memory = new Lz4Memory();
    const next = random(7);
    const data = samples().find((s) => s.name === 'task-end lines')!.data;
    const block = compressBlock(data);
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
      if (decoded === data.length) {
        const prefixed = Buffer.concat([Buffer.alloc(4), damaged]);
        prefixed.writeUInt32LE(data.length, 0);
        let reference: Buffer | undefined;
        try {
          reference = uncompressSync(prefixed);
        } catch {
          reference = undefined;
        }
        if (reference?.length === data.length) expect(memory.output(before.length, data.length).equals(reference)).toBe(true);
      }
    }
    expect(refused).toBeGreaterThan(1000);
  });
});
