import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { CutStreamError, InputError } from '../../errors.js';
import { ByteReader } from './byte-reader.js';
import { MAGIC, compareMagic } from './magic.js';

/**
 * Decodes gzip, several members concatenated included (node's gunzip goes on to the next member itself).
 * On bad data node's zlib drops the output of the step that met it, so up to 16 KiB (its chunk size) just
 * before the damage may be missing; a plain cut loses nothing.
 */
export async function* decodeGzip(input: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  const reader = new ByteReader(input);
  try {
    const head = await reader.peek(MAGIC.gzip.length);
    if (head.length === 0) return;
    if (compareMagic(head, MAGIC.gzip) === 'mismatch') throw new InputError(file, 'not a gzip stream (bad magic at byte 0)');
    const gunzip = createGunzip();
    // Errors of either side destroy `gunzip`, so they surface through the loop below.
    pipeline(Readable.from(reader.remaining()), gunzip, () => {});
    try {
      for await (const chunk of gunzip) yield chunk as Buffer;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // Running out of input is only noticed once all of it has been read, so the reader's offset is the cut.
      if (code === 'Z_BUF_ERROR') throw new CutStreamError(`gzip stream ends inside a member at byte ${reader.offset}`);
      if (code?.startsWith('Z_')) {
        throw new CutStreamError(`gzip stream corrupt near byte ${gunzip.bytesWritten}: ${(err as Error).message}`);
      }
      throw err;
    }
  } finally {
    await reader.close();
  }
}
