import { LZ4_BLOCK_WASM } from './lz4-block-wasm.js';

const MODULE = new WebAssembly.Module(Buffer.from(LZ4_BLOCK_WASM, 'base64'));
const PAGE_BYTES = 64 * 1024;
/** The decoder's wild copies read and write up to 15 bytes past a run (see lz4-block.wat). */
const SPARE_BYTES = 16;

type DecodeFn = (src: number, srcEnd: number, dst: number, dstEnd: number) => number;

/**
 * The memory one lz4 stream is decoded in: an input area for one compressed block, then an output area where
 * decoded blocks are gathered and handed on as views, without a copy or an allocation per block.
 */
export class Lz4Memory {
  private readonly memory: WebAssembly.Memory;
  private readonly decodeFn: DecodeFn;
  private bytes: Uint8Array;
  private inputCapacity = 0;
  private outputStart = 0;
  private outputCapacity = 0;

  constructor() {
    const { exports } = new WebAssembly.Instance(MODULE);
    this.memory = exports.memory as WebAssembly.Memory;
    this.decodeFn = exports.decode as DecodeFn;
    this.bytes = new Uint8Array(this.memory.buffer);
  }

  /** Whether a compressed block of `input` bytes and `output` bytes of output fit without moving anything. */
  fits(input: number, output: number): boolean {
    return input <= this.inputCapacity && output <= this.outputCapacity;
  }

  /** Makes room for them; the output area may move: views taken before are no longer valid. */
  reserve(input: number, output: number): void {
    if (this.fits(input, output)) return;
    this.inputCapacity = Math.max(input, this.inputCapacity);
    this.outputCapacity = Math.max(output, this.outputCapacity);
    this.outputStart = this.inputCapacity + SPARE_BYTES;
    const pages = Math.ceil((this.outputStart + this.outputCapacity + SPARE_BYTES) / PAGE_BYTES) - this.memory.buffer.byteLength / PAGE_BYTES;
    if (pages > 0) this.memory.grow(pages);
    this.bytes = new Uint8Array(this.memory.buffer);
  }

  /**
   * Decodes the raw LZ4 block `block` into the output area at `at`, expecting `length` bytes. Returns how many
   * bytes it decoded to, or -1 if it is malformed or decodes to more than `length`.
   */
  decode(block: Uint8Array, at: number, length: number): number {
    this.bytes.set(block, 0);
    const dst = this.outputStart + at;
    const end = this.decodeFn(0, block.length, dst, dst + length);
    return end === -1 ? -1 : end - dst;
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
