import { CutStreamError, InputError } from '../../errors.js';
import { type Block, gatheredChunks } from './block-memory.js';
import { ByteReader } from './byte-reader.js';
import { MAGIC, compareMagic } from './magic.js';

// snappy-java's SnappyOutputStream framing (what Spark writes), not the snappy frame format.
const STREAM_HEADER_SIZE = 16; // magic 8, version 4, compatible version 4
const SUPPORTED_VERSION = 1;
/** snappy-java refuses blocks over SnappyOutputStream.MAX_BLOCK_SIZE; a longer length is corruption. */
const MAX_BLOCK_SIZE = 512 * 1024 * 1024;
const MAX_COMPRESSED_BLOCK_SIZE = 32 + MAX_BLOCK_SIZE + MAX_BLOCK_SIZE / 6;
/** Decoded bytes per block byte can be no more than a 3-byte copy of 64 bytes gives. */
const MAX_EXPANSION = 22;

/**
 * Decodes snappy-java streams: a header, then int32 BE length + raw snappy block, repeated. A header may come
 * again mid-stream (streams appended to one another); its first byte (0x82) can't start a valid length.
 * Blocks are decoded by blocks.wat and gathered into bigger chunks.
 */
export function decodeSnappyJava(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  return gatheredChunks('snappy', snappyBlocks(input, file));
}

async function* snappyBlocks(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Block[]> {
  const reader = new ByteReader(input);
  try {
    for (;;) {
      const run = wholeBlocks(reader);
      if (run.length > 0) {
        yield run;
        continue;
      }
      // A stream header, a block not whole in the chunk at hand, or something wrong: read a piece at a time.
      const blockStart = reader.offset;
      const lengthBytes = await reader.peek(4);
      if (lengthBytes.length === 0) return;
      if (blockStart === 0 || lengthBytes[0] === MAGIC.snappy[0]) {
        await readStreamHeader(reader, file);
        continue;
      }
      if (lengthBytes.length < 4) {
        throw new CutStreamError(`snappy stream ends inside a block length at byte ${blockStart + lengthBytes.length}`);
      }
      const length = (await reader.read(4)).readInt32BE(0);
      if (length <= 0 || length > MAX_COMPRESSED_BLOCK_SIZE) {
        throw new CutStreamError(`snappy stream corrupt: bad block length ${length} at byte ${blockStart}`);
      }
      const block = await reader.readExactly(length, 'snappy stream ends inside a block');
      const decoded = soundDecodedLength(block);
      if (!decoded) throw new CutStreamError(`snappy stream corrupt: block at byte ${blockStart} fails to decode (no valid length)`);
      yield [snappyBlock(block, decoded, blockStart)];
    }
  } finally {
    await reader.close();
  }
}

function snappyBlock(block: Buffer, { output, preamble }: DecodedLength, blockStart: number): Block {
  const elements = block.subarray(preamble);
  return { input: elements.length, output, writeTo: (memory, at) => memory.decodeExactly(elements, at, output, `snappy stream corrupt: block at byte ${blockStart}`) };
}

/** The blocks that lie whole and sound in the chunk at hand, consumed, up to the first that does not. */
function wholeBlocks(reader: ByteReader): Block[] {
  const blocks: Block[] = [];
  const chunk = reader.atHand();
  let at = 0;
  while (chunk && chunk.length - at >= 4 && reader.offset + at > 0 && chunk[at] !== MAGIC.snappy[0]) {
    const length = chunk.readInt32BE(at);
    if (length <= 0 || length > MAX_COMPRESSED_BLOCK_SIZE || chunk.length - at - 4 < length) break;
    const block = chunk.subarray(at + 4, at + 4 + length);
    const decoded = soundDecodedLength(block);
    if (!decoded) break;
    blocks.push(snappyBlock(block, decoded, reader.offset + at));
    at += 4 + length;
  }
  reader.consume(at);
  return blocks;
}

async function readStreamHeader(reader: ByteReader, file: string): Promise<void> {
  const headerStart = reader.offset;
  const header = await reader.read(STREAM_HEADER_SIZE);
  if (compareMagic(header, MAGIC.snappy) === 'mismatch') {
    if (headerStart === 0) throw new InputError(file, 'not a snappy-java stream (bad magic at byte 0)');
    throw new CutStreamError(`snappy stream corrupt: bad stream header at byte ${headerStart}`);
  }
  if (header.length < STREAM_HEADER_SIZE) {
    throw new CutStreamError(`snappy stream ends inside a stream header at byte ${reader.offset}`);
  }
  // Like snappy-java: a stream readable by version 1 readers is fine whatever version wrote it.
  const compatibleVersion = header.readInt32BE(12);
  if (compatibleVersion > SUPPORTED_VERSION) {
    const why = `snappy-java stream needs format version ${compatibleVersion} (byte ${headerStart + 12}), only ${SUPPORTED_VERSION} is known`;
    if (headerStart === 0) throw new InputError(file, why);
    throw new CutStreamError(why);
  }
}

interface DecodedLength {
  output: number;
  preamble: number;
}

/**
 * A raw snappy block starts with its decoded length, a varint of at most 5 bytes. A length its elements cannot
 * reach (a 3-byte copy makes at most 64 bytes) is corruption (undefined), refused before any memory is set
 * aside for it.
 */
function soundDecodedLength(block: Buffer): DecodedLength | undefined {
  let output = 0;
  for (let i = 0; i < 5 && i < block.length; i++) {
    output += (block[i]! & 0x7f) * 2 ** (7 * i);
    if (block[i]! < 0x80) {
      if (output > MAX_BLOCK_SIZE || output > MAX_EXPANSION * block.length) break;
      return { output, preamble: i + 1 };
    }
  }
  return undefined;
}
