import { CutStreamError } from '../../errors.js';
import { BLOCKS_WASM } from './blocks-wasm.js';

const MODULE = new WebAssembly.Module(Buffer.from(BLOCKS_WASM, 'base64'));
const PAGE_BYTES = 64 * 1024;
/** The decoders' wild copies read and write up to 31 bytes past a run (see blocks.wat). */
const SPARE_BYTES = 32;
/** Decoded blocks (32 KiB each, Spark's default for lz4) are gathered into chunks this big before they are handed on. */
export const CHUNK_BYTES = 256 * 1024;
/** Room for any compressed block of lz4's and snappy's default 32 KiB and compress-lzf's 64 KiB chunks from the start. */
const MIN_INPUT_BYTES = 128 * 1024;

/** The block formats blocks.wat decodes (its exports). */
export type BlockFormat = 'lz4' | 'lzf' | 'snappy';
type DecodeFn = (src: number, srcEnd: number, dst: number, dstEnd: number) => number;
type HashFn = (src: number, length: number, seed: number) => number;
type HashPairFn = (a: number, lengthA: number, b: number, lengthB: number, seed: number) => [number, number];

/**
 * The memory one stream is decoded in: an input area for one compressed block, then an output area where
 * decoded blocks are gathered into a chunk and handed on as a view, without a copy or an allocation per block.
 */
export class BlockMemory {
  private readonly memory: WebAssembly.Memory;
  private readonly decodeFn: DecodeFn;
  private readonly xxh32: HashFn;
  private readonly xxh32x2: HashPairFn;
  private bytes: Uint8Array;
  private inputCapacity = 0;
  private outputStart = 0;
  private outputCapacity = 0;

  constructor(format: BlockFormat) {
    const { exports } = new WebAssembly.Instance(MODULE);
    this.memory = exports.memory as WebAssembly.Memory;
    this.decodeFn = exports[format] as DecodeFn;
    this.xxh32 = exports.xxh32 as HashFn;
    this.xxh32x2 = exports.xxh32x2 as HashPairFn;
    this.bytes = new Uint8Array(this.memory.buffer);
  }

  /**
   * Whether the chunk being filled (`gathered` bytes) must be handed on before a compressed block of `input`
   * bytes that decodes to `output` bytes: it is full, or the memory must grow, which moves the output area.
   */
  mustHandOn(input: number, output: number, gathered: number): boolean {
    return gathered > 0 && (gathered + output > CHUNK_BYTES || !this.fits(input, gathered + output));
  }

  /** Makes room for such a block; the output area may move (see mustHandOn). */
  reserve(input: number, output: number): void {
    if (this.fits(input, output)) return;
    this.inputCapacity = Math.max(input, this.inputCapacity, MIN_INPUT_BYTES);
    this.outputCapacity = Math.max(output, this.outputCapacity, CHUNK_BYTES);
    this.outputStart = this.inputCapacity + SPARE_BYTES;
    const pages = Math.ceil((this.outputStart + this.outputCapacity + SPARE_BYTES) / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) this.memory.grow(pages);
    this.bytes = new Uint8Array(this.memory.buffer);
  }

  private fits(input: number, output: number): boolean {
    return input <= this.inputCapacity && output <= this.outputCapacity;
  }

  /**
   * Decodes the compressed block `block` into the output area at `at`, expecting `length` bytes. Returns how
   * many bytes it decoded to, or -1 if it is malformed or decodes to more than `length`.
   */
  decode(block: Uint8Array, at: number, length: number): number {
    this.bytes.set(block, 0);
    const dst = this.outputStart + at;
    const end = this.decodeFn(0, block.length, dst, dst + length);
    return end === -1 ? -1 : end - dst;
  }

  /**
   * Decodes `block` into the output area at `at`, which must give exactly `length` bytes; otherwise it is
   * corruption, said as `<corrupt> fails to decode` or `<corrupt> decodes to N bytes, not M`.
   */
  decodeExactly(block: Uint8Array, at: number, length: number, corrupt: string): void {
    const decoded = this.decode(block, at, length);
    if (decoded === -1) throw new CutStreamError(`${corrupt} fails to decode`);
    if (decoded !== length) throw new CutStreamError(`${corrupt} decodes to ${decoded} bytes, not ${length}`);
  }

  /** XXH32 (unsigned) with `seed` of `length` bytes of the output area from `at`, hashed where they are. */
  checksum(at: number, length: number, seed: number): number {
    return this.xxh32(this.outputStart + at, length, seed) >>> 0;
  }

  /**
   * The first of (at most two) decoded blocks whose checksum is not the one their stream gives, or -1. Two are
   * hashed in one pass: each hash is a chain of multiplies, and two chains run side by side (lz4's checksums of a
   * 1 GB log took 0.14 s a block at a time).
   */
  firstMismatch(blocks: readonly Gathered[], hashing: BlockHashing): number {
    if (blocks.length === 0) return -1;
    const [a, b] = blocks as [Gathered, Gathered | undefined];
    const hashes = b
      ? this.xxh32x2(this.outputStart + a.at, a.length, this.outputStart + b.at, b.length, hashing.seed)
      : [this.checksum(a.at, a.length, hashing.seed)];
    return blocks.findIndex((block, i) => ((hashes[i]! >>> 0) & hashing.mask) !== block.expected);
  }

  /** Copies bytes stored uncompressed into the output area at `at`. */
  store(bytes: Uint8Array, at: number): void {
    this.bytes.set(bytes, this.outputStart + at);
  }

  /** `length` bytes of the output area from `at`: a view, valid until the area is written again or moved. */
  output(at: number, length: number): Buffer {
    return Buffer.from(this.memory.buffer, this.outputStart + at, length);
  }
}

/** One block of a stream, read but not decoded yet. */
export interface Block {
  /** Its compressed bytes (what the input area must hold), and what it decodes to. */
  input: number;
  output: number;
  /**
   * Puts its decoded bytes into `memory` at `at` (decoding or copying them, and checking what can be checked of a
   * block alone); throws if damaged.
   */
  writeTo(memory: BlockMemory, at: number): void;
  /** The hash its decoded bytes must have (lz4's blocks; see BlockHashing), checked once the next is decoded too. */
  expectedHash?: number;
  /** Where it starts in its stream: the error for a wrong hash names it. */
  start?: number;
}

/** How a format's blocks are hashed: XXH32 with `seed`, of which the stream keeps the bits of `mask`. */
export interface BlockHashing {
  seed: number;
  mask: number;
  /** What is wrong when the hash of the block at `start` differs. */
  mismatch(start: number): string;
}

/** A decoded block in the output area whose hash is still to be checked. */
interface Gathered {
  at: number;
  length: number;
  expected: number;
  start: number;
}

/** Memories of finished streams, reused per format: a log's memory is sized once. */
const spare: Record<BlockFormat, BlockMemory[]> = { lz4: [], lzf: [], snappy: [] };

/**
 * The decoded bytes of a stream of blocks, which come in runs (the whole blocks of an input chunk: a promise
 * per block cost more than decoding it): each block is decoded into the stream's memory and gathered into
 * chunks of up to CHUNK_BYTES, handed on as views, valid until the next is asked for. When the stream is cut
 * or damaged, every block decoded before is handed on before the error.
 */
export async function* gatheredChunks(
  format: BlockFormat, runs: AsyncIterable<readonly Block[]>, hashing?: BlockHashing,
): AsyncGenerator<Buffer> {
  const memory = spare[format].pop() ?? new BlockMemory(format);
  let used = 0;
  // Blocks decoded whose hashes are not checked yet: two are checked together, and any before a chunk is handed on.
  let unchecked: Gathered[] = [];
  const check = (): void => {
    const blocks = unchecked;
    unchecked = [];
    const failed = hashing ? memory.firstMismatch(blocks, hashing) : -1;
    if (failed === -1) return;
    used = blocks[failed]!.at;
    throw new CutStreamError(hashing!.mismatch(blocks[failed]!.start));
  };
  try {
    for await (const run of runs) {
      for (const block of run) {
        if (memory.mustHandOn(block.input, block.output, used)) {
          check();
          yield memory.output(0, used);
          used = 0;
        }
        memory.reserve(block.input, used + block.output);
        block.writeTo(memory, used);
        if (block.expectedHash !== undefined) {
          unchecked.push({ at: used, length: block.output, expected: block.expectedHash, start: block.start ?? 0 });
        }
        used += block.output;
        if (unchecked.length === 2) check();
      }
    }
    check();
    // Inside the try: the memory goes back to the pool only once this chunk is done with.
    const last = used;
    used = 0;
    if (last > 0) yield memory.output(0, last);
  } catch (error) {
    // A block decoded before the damage is handed on once its hash is checked (a mismatch there is the first damage).
    let first = error;
    try {
      check();
    } catch (mismatch) {
      first = mismatch;
    }
    if (used > 0) yield memory.output(0, used);
    used = 0;
    throw first;
  } finally {
    spare[format].push(memory);
  }
}
