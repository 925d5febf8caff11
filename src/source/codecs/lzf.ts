import { CutStreamError, InputError } from '../../errors.js';
import { type Block, type BlockMemory, gatheredChunks } from './block-memory.js';
import { ByteReader } from './byte-reader.js';
import { MAGIC, compareMagic } from './magic.js';

// compress-lzf chunks (what Spark writes): 'Z' 'V', type, uint16 BE length[, uint16 BE original length], data.
const CHUNK_STORED = 0;
const CHUNK_COMPRESSED = 1;
const COMMON_HEADER_SIZE = 5;

/**
 * Decodes a stream of compress-lzf chunks; the format has no end marker, so any chunk boundary may end it.
 * Chunks (64 KiB at most) are decoded by blocks.wat and gathered into bigger ones.
 */
export function decodeLzf(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  return gatheredChunks('lzf', lzfChunks(input, file));
}

async function* lzfChunks(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Block[]> {
  const reader = new ByteReader(input);
  try {
    for (;;) {
      const run = wholeChunks(reader);
      if (run.length > 0) {
        yield run;
        continue;
      }
      // A chunk not whole in the input chunk at hand, or something wrong with it: read it a piece at a time.
      const chunkStart = reader.offset;
      const header = await reader.read(COMMON_HEADER_SIZE);
      if (header.length === 0) break;
      const type = header[2];
      // A header cut before its type byte is a cut stream, not an unknown type.
      const knownType = type === undefined || type === CHUNK_STORED || type === CHUNK_COMPRESSED;
      if (compareMagic(header, MAGIC.lzf) === 'mismatch' || !knownType) {
        if (chunkStart === 0) throw new InputError(file, 'not an lzf stream (bad magic at byte 0)');
        throw new CutStreamError(`lzf stream corrupt: bad chunk header at byte ${chunkStart}`);
      }
      if (header.length < COMMON_HEADER_SIZE) {
        throw new CutStreamError(`lzf stream ends inside a chunk header at byte ${reader.offset}`);
      }
      const length = header.readUInt16BE(3);
      let originalLength = length;
      if (type === CHUNK_COMPRESSED) {
        originalLength = (await reader.readExactly(2, 'lzf stream ends inside a chunk header')).readUInt16BE(0);
      }
      const data = await reader.readExactly(length, 'lzf stream ends inside a chunk');
      yield [lzfBlock(type!, data, originalLength, chunkStart)];
    }
  } finally {
    await reader.close();
  }
}

function lzfBlock(type: number, data: Buffer, originalLength: number, chunkStart: number): Block {
  const writeTo = type === CHUNK_STORED
    ? (memory: BlockMemory, at: number) => memory.store(data, at)
    : (memory: BlockMemory, at: number) => memory.decodeExactly(data, at, originalLength, `lzf stream corrupt: chunk at byte ${chunkStart}`);
  return { input: data.length, output: originalLength, writeTo };
}

/** The lzf chunks that lie whole and sound in the input chunk at hand, consumed, up to the first that does not. */
function wholeChunks(reader: ByteReader): Block[] {
  const blocks: Block[] = [];
  const input = reader.atHand();
  let at = 0;
  while (input && input.length - at >= COMMON_HEADER_SIZE && input[at] === MAGIC.lzf[0] && input[at + 1] === MAGIC.lzf[1]) {
    const type = input[at + 2]!;
    if (type !== CHUNK_STORED && type !== CHUNK_COMPRESSED) break;
    const headerSize = type === CHUNK_COMPRESSED ? COMMON_HEADER_SIZE + 2 : COMMON_HEADER_SIZE;
    const length = input.readUInt16BE(at + 3);
    if (input.length - at < headerSize + length) break;
    const originalLength = type === CHUNK_COMPRESSED ? input.readUInt16BE(at + COMMON_HEADER_SIZE) : length;
    blocks.push(lzfBlock(type, input.subarray(at + headerSize, at + headerSize + length), originalLength, reader.offset + at));
    at += headerSize + length;
  }
  reader.consume(at);
  return blocks;
}
