/**
 * Whole lines of a decompressed log: `buffer[start, end)`, each line ended by a newline, except that of an
 * `unterminated` region (the log's last line, which had none: it may be cut short). Lines are found by their
 * reader (nextLine, or RowBuffer.scan in WebAssembly), not here: no offsets or Buffer are made per line (views
 * cost more than looking at the line's bytes: a third of the reading time on a 1 GB log went to views and GC).
 */
export interface LineRegion {
  buffer: Buffer;
  start: number;
  end: number;
  unterminated: boolean;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits decompressed chunks into regions of whole lines without decoding them: bytes stay bytes, because
 * turning them into JS strings costs more than decompressing them. A line split across chunks is joined into a
 * region of its own. A region is valid until the consumer asks for the next one.
 */
export async function* frameLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<LineRegion> {
  let carry: Buffer | undefined;
  const region: LineRegion = { buffer: Buffer.alloc(0), start: 0, end: 0, unterminated: false };
  const of = (buffer: Buffer, start: number, end: number): LineRegion => Object.assign(region, { buffer, start, end });
  for await (const chunk of chunks) {
    let start = 0;
    if (carry) {
      const nl = chunk.indexOf(NEWLINE);
      if (nl === -1) {
        carry = Buffer.concat([carry, chunk]);
        continue;
      }
      const joined = Buffer.concat([carry, chunk.subarray(0, nl + 1)]);
      carry = undefined;
      yield of(joined, 0, joined.length);
      start = nl + 1;
    }
    const last = chunk.lastIndexOf(NEWLINE);
    if (last >= start) {
      yield of(chunk, start, last + 1);
      start = last + 1;
    }
    // Copied: the decoder may reuse the chunk's memory for the next one.
    if (start < chunk.length) carry = Buffer.from(chunk.subarray(start));
  }
  if (carry) {
    region.unterminated = true;
    yield of(carry, 0, carry.length);
  }
}

/** A line found by nextLine: `[start, end)` without its line end; the next one starts at `next`. */
export interface LineCursor {
  start: number;
  end: number;
  next: number;
}

/**
 * The line of `region` that starts at `pos` (< region.end), into `line`. A carriage return before the newline
 * is not part of it; the line may be empty (counted, but not an event).
 */
export function nextLine(region: LineRegion, pos: number, line: LineCursor): void {
  let nl = region.buffer.indexOf(NEWLINE, pos);
  if (nl === -1 || nl >= region.end) nl = region.end;
  let end = nl;
  if (end > pos && region.buffer[end - 1] === CARRIAGE_RETURN) end--;
  line.start = pos;
  line.end = end;
  line.next = nl + 1;
}
