import { CutStreamError } from '../../errors.js';

const EMPTY = Buffer.alloc(0);

/**
 * Pulls exact byte counts out of a chunked input, whatever the chunk boundaries are, keeping in memory only
 * the bytes asked for (one header or one block), never the whole stream. An input chunk is valid only until the
 * next one is read (the file reader reuses its buffers, see READ_RING in read.ts): bytes that must outlive
 * that are copied, so at most the chunk at hand is held in place.
 */
export class ByteReader {
  private readonly chunks: AsyncIterator<Buffer>;
  private buffered: Buffer[] = [];
  private bufferedLength = 0;
  private ended = false;
  /** Absolute position in the input of the next unread byte. */
  offset = 0;

  constructor(input: AsyncIterable<Buffer>) {
    this.chunks = input[Symbol.asyncIterator]();
  }

  /** The next `n` bytes without consuming them; fewer only if the input ends first. */
  async peek(n: number): Promise<Buffer> {
    if (this.buffered.length === 0) await this.readNext();
    const first: Buffer | undefined = this.buffered[0];
    if (first === undefined || first.length >= n) return (first ?? EMPTY).subarray(0, n);
    return this.gather(n);
  }

  /**
   * Copies the next `n` bytes (fewer if the input ends first) into a buffer of the reader's own, reading on as
   * needed, before the chunks they come from are reused; the rest of the last chunk read stays in place.
   */
  private async gather(n: number): Promise<Buffer> {
    const own = Buffer.allocUnsafe(n);
    let have = 0;
    const rest: Buffer[] = [];
    for (;;) {
      for (const chunk of this.buffered) {
        const take = Math.min(n - have, chunk.length);
        chunk.copy(own, have, 0, take);
        have += take;
        if (take < chunk.length) rest.push(chunk.subarray(take));
      }
      this.buffered = [];
      if (have === n || this.ended) break;
      await this.readNext();
    }
    const gathered = own.subarray(0, have);
    this.buffered = [gathered, ...rest];
    return gathered;
  }

  /** Appends the input's next chunk that is not empty to the buffered bytes, or marks the end. */
  private async readNext(): Promise<void> {
    while (!this.ended) {
      const next = await this.chunks.next();
      if (next.done) this.ended = true;
      else if (next.value.length > 0) {
        this.buffered.push(next.value);
        this.bufferedLength += next.value.length;
        return;
      }
    }
  }

  /** The unread bytes of the chunk at hand (not consumed), if any are buffered. */
  atHand(): Buffer | undefined {
    return this.buffered[0];
  }

  /** Consumes and returns the next `n` bytes; fewer only if the input ends first. */
  async read(n: number): Promise<Buffer> {
    const bytes = await this.peek(n);
    this.consume(bytes.length);
    return bytes;
  }

  /** Consumes and returns the next `n` bytes; if the input ends first, a CutStreamError `<cut> at byte <offset>`. */
  async readExactly(n: number, cut: string): Promise<Buffer> {
    const bytes = await this.read(n);
    if (bytes.length < n) throw new CutStreamError(`${cut} at byte ${this.offset}`);
    return bytes;
  }

  /** Consumes and returns whatever comes next, in the input's own chunking; undefined at the end. */
  async readChunk(): Promise<Buffer | undefined> {
    if (this.buffered.length === 0) await this.peek(1);
    const first: Buffer | undefined = this.buffered[0];
    if (first === undefined) return undefined;
    this.consume(first.length);
    return first;
  }

  /** Everything not read yet, in the input's own chunking. */
  async *remaining(): AsyncGenerator<Buffer> {
    for (let chunk = await this.readChunk(); chunk !== undefined; chunk = await this.readChunk()) yield chunk;
  }

  /** Gives back the unused tail of a chunk from readChunk, to be read again next. */
  unread(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.buffered.unshift(bytes);
    this.bufferedLength += bytes.length;
    this.offset -= bytes.length;
  }

  /** Lets go of the input (a file stream closes) when decoding stops early: on an error or a consumer's break. */
  async close(): Promise<void> {
    await this.chunks.return?.();
  }

  /** Consumes the next `n` bytes, which are buffered (read in place from the chunk at hand, or peeked). */
  consume(n: number): void {
    this.offset += n;
    this.bufferedLength -= n;
    while (n > 0) {
      const first = this.buffered[0]!;
      if (first.length <= n) {
        this.buffered.shift();
        n -= first.length;
      } else {
        this.buffered[0] = first.subarray(n);
        n = 0;
      }
    }
  }
}
