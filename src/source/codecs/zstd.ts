import zstd from 'zstd-napi/binding.js';
import { CutStreamError, InputError } from '../../errors.js';
import { ByteReader } from './byte-reader.js';
import { MAGIC, compareMagic } from './magic.js';

/** Output per streaming call: big enough that framing pays its per-chunk cost rarely, small enough for a fleet. */
const OUT_SIZE = 256 * 1024;
/**
 * Contexts and output buffers of finished decoders, reused: a fresh buffer per chunk costs a page fault per
 * 4 KiB on first touch and a garbage collection now and then (measured: a tenth of the CPU time of a 1 GB log),
 * and a fresh context per file allocates zstd's window again (a fleet of small logs).
 */
const spare: { dctx: zstd.DCtx; out: Buffer }[] = [];
/** Skippable frames start with 0x184D2A5? (little-endian): any low nibble, then these three bytes. */
const SKIPPABLE_MAGIC_TAIL = Buffer.from([0x2a, 0x4d, 0x18]);

/**
 * Decodes concatenated zstd frames as they stream in. Spark flushes after each event, so a cut `.inprogress`
 * file yields every flushed block before the cut, then CutStreamError.
 */
export async function* decodeZstd(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  const reader = new ByteReader(input);
  const decoder = spare.pop() ?? { dctx: new zstd.DCtx(), out: Buffer.allocUnsafe(OUT_SIZE) };
  const { dctx, out } = decoder;
  dctx.reset(zstd.ResetDirective.sessionOnly);
  try {
    for (let head = await reader.peek(4); head.length > 0; head = await reader.peek(4)) {
      checkFrameMagic(head, reader.offset, file);
      yield* decodeFrame(reader, dctx, out);
    }
  } finally {
    spare.push(decoder);
    await reader.close();
  }
}

/** Decodes the frame starting at the reader's offset, giving back to the reader the bytes after the frame. */
async function* decodeFrame(reader: ByteReader, dctx: zstd.DCtx, out: Buffer): AsyncGenerator<Buffer> {
  const frameStart = reader.offset;
  for (;;) {
    const chunk = await reader.readChunk();
    if (chunk === undefined) {
      throw new CutStreamError(`zstd stream ends at byte ${reader.offset}, inside the frame that starts at byte ${frameStart}`);
    }
    let src = chunk;
    let frameDone: boolean;
    let outputFull: boolean;
    do {
      const [toFlushOrRead, produced, consumed] = decompressStep(dctx, out, src, frameStart);
      src = src.subarray(consumed);
      if (produced > 0) yield out.subarray(0, produced);
      frameDone = toFlushOrRead === 0;
      outputFull = produced === out.length;
    } while (!frameDone && (src.length > 0 || outputFull));
    if (frameDone) {
      reader.unread(src);
      return;
    }
  }
}

function decompressStep(dctx: zstd.DCtx, out: Buffer, src: Buffer, frameStart: number) {
  try {
    return dctx.decompressStream(out, src);
  } catch (err) {
    throw new CutStreamError(`zstd data corrupt in the frame at byte ${frameStart}: ${(err as Error).message}`);
  }
}

function checkFrameMagic(head: Buffer, offset: number, file: string): void {
  const isSkippable = (head[0]! & 0xf0) === 0x50;
  const found = isSkippable ? compareMagic(head.subarray(1), SKIPPABLE_MAGIC_TAIL) : compareMagic(head, MAGIC.zstd);
  if (found === 'cut') throw new CutStreamError(`zstd stream ends inside a frame header at byte ${offset + head.length}`);
  if (found === 'mismatch') {
    if (offset === 0) throw new InputError(file, 'not a zstd stream (bad magic at byte 0)');
    throw new CutStreamError(`zstd stream corrupt: bad frame magic at byte ${offset}`);
  }
}
