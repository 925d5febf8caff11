import { uncompressSync } from 'lz4-napi';
import { CutStreamError, InputError } from '../../errors.js';
import { ByteReader } from './byte-reader.js';
import { MAGIC, compareMagic } from './magic.js';
import { xxhash32 } from './xxhash32.js';

// lz4-java's LZ4BlockOutputStream framing (what Spark writes), not the LZ4 frame format.
const HEADER_SIZE = 21; // magic 8, token 1, compressed length 4, original length 4, checksum 4
const METHOD_RAW = 0x10;
const METHOD_LZ4 = 0x20;
const CHECKSUM_SEED = 0x9747b28c;
/** lz4-java's Checksum wrapper keeps only the low 28 bits of the hash. */
const CHECKSUM_MASK = 0x0fffffff;
/** Decoded blocks (32 KiB each, Spark's default) are gathered into chunks this big before they are handed on. */
const OUT_SIZE = 256 * 1024;

interface BlockHeader {
  method: number;
  compressedLength: number;
  originalLength: number;
  checksum: number;
}

/**
 * Decodes lz4-java block streams; a stream ends with a block whose lengths are both 0, and another stream may
 * follow it. Every block is checked as lz4-java checks it (header sanity, then checksum of the decoded bytes).
 */
export async function* decodeLz4Blocks(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  const reader = new ByteReader(input);
  // A chunk is valid until the next is asked for (see Decoder), so one output buffer serves the whole stream.
  const out = Buffer.allocUnsafe(OUT_SIZE);
  let used = 0;
  try {
    let betweenStreams = true;
    for (;;) {
      const blockStart = reader.offset;
      const headerBytes = await reader.peek(HEADER_SIZE);
      if (headerBytes.length === 0) {
        if (betweenStreams) break;
        throw new CutStreamError(`lz4 stream ends at byte ${blockStart} without its end block`);
      }
      if (compareMagic(headerBytes, MAGIC.lz4) === 'mismatch') {
        if (blockStart === 0) throw new InputError(file, 'not an lz4 block stream (bad magic at byte 0)');
        throw new CutStreamError(`lz4 stream corrupt: bad block magic at byte ${blockStart}`);
      }
      if (headerBytes.length < HEADER_SIZE) {
        throw new CutStreamError(`lz4 stream ends inside a block header at byte ${blockStart + headerBytes.length}`);
      }
      const header = parseHeader(headerBytes, blockStart);
      // Header and payload in one piece: the header's last 4 bytes then become the length prefix lz4-napi wants.
      const block = await reader.read(HEADER_SIZE + header.compressedLength);
      betweenStreams = header.originalLength === 0;
      if (betweenStreams) continue;
      if (block.length < HEADER_SIZE + header.compressedLength) {
        throw new CutStreamError(`lz4 stream ends inside a block at byte ${reader.offset}`);
      }
      const data = header.method === METHOD_RAW ? block.subarray(HEADER_SIZE) : uncompressBlock(block, header.originalLength, blockStart);
      if ((xxhash32(data, CHECKSUM_SEED) & CHECKSUM_MASK) !== header.checksum) {
        throw new CutStreamError(`lz4 stream corrupt: checksum mismatch in the block at byte ${blockStart}`);
      }
      if (used + data.length > out.length && used > 0) {
        yield out.subarray(0, used);
        used = 0;
      }
      if (data.length > out.length) yield data;
      else used += data.copy(out, used);
    }
  } catch (error) {
    // Every block decoded before the damage is handed on first, as a cut stream promises.
    if (used > 0) yield out.subarray(0, used);
    used = 0;
    throw error;
  } finally {
    await reader.close();
  }
  if (used > 0) yield out.subarray(0, used);
}

/** Reads and sanity-checks a block header the way lz4-java's LZ4BlockInputStream does. */
function parseHeader(bytes: Buffer, blockStart: number): BlockHeader {
  const token = bytes[8]!;
  const method = token & 0xf0;
  const blockSize = 1 << (10 + (token & 0x0f));
  const compressedLength = bytes.readInt32LE(9);
  const originalLength = bytes.readInt32LE(13);
  const checksum = bytes.readUInt32LE(17);
  const valid =
    (method === METHOD_RAW || method === METHOD_LZ4) &&
    originalLength >= 0 &&
    originalLength <= blockSize &&
    compressedLength >= 0 &&
    compressedLength <= lz4MaxCompressedLength(blockSize) &&
    (originalLength === 0) === (compressedLength === 0) &&
    (method !== METHOD_RAW || compressedLength === originalLength);
  if (!valid) throw new CutStreamError(`lz4 stream corrupt: bad block header at byte ${blockStart}`);
  return { method, compressedLength, originalLength, checksum };
}

function lz4MaxCompressedLength(originalLength: number): number {
  return originalLength + Math.floor(originalLength / 255) + 16;
}

/** lz4-napi takes the original length as a 4-byte little-endian prefix before the raw LZ4 block. */
function uncompressBlock(block: Buffer, originalLength: number, blockStart: number): Buffer {
  const prefixed = block.subarray(HEADER_SIZE - 4);
  prefixed.writeUInt32LE(originalLength, 0); // over the checksum, already read
  let data: Buffer;
  try {
    data = uncompressSync(prefixed);
  } catch (err) {
    throw new CutStreamError(`lz4 stream corrupt: block at byte ${blockStart} fails to decode (${(err as Error).message})`);
  }
  if (data.length !== originalLength) {
    throw new CutStreamError(`lz4 stream corrupt: block at byte ${blockStart} decodes to ${data.length} bytes, not ${originalLength}`);
  }
  return data;
}
