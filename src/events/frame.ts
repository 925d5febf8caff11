/**
 * The lines of one decompressed chunk, as offsets into it: line i is `buffer[starts[i], ends[i])`, line number
 * `lineNos[i]` of the log (from 1, across all parts). No Buffer is made per line: a view costs more than
 * looking at the line's bytes (measured: a third of the reading time on a 1 GB log went to views and their GC).
 */
export interface LineBatch {
  buffer: Buffer;
  starts: number[];
  ends: number[];
  lineNos: number[];
  /** The last line of the log had no newline: it may be cut short. Only ever the batch's last line. */
  unterminated: boolean;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits decompressed chunks into lines without decoding them: bytes stay bytes, because turning them into
 * JS strings costs more than decompressing them. A line split across chunks is joined into a batch of its own.
 * Empty lines are dropped but still counted. A batch is valid until the consumer asks for the next one.
 */
export async function* frameLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<LineBatch> {
  let carry: Buffer | undefined;
  let lineNo = 0;
  const batch: LineBatch = { buffer: Buffer.alloc(0), starts: [], ends: [], lineNos: [], unterminated: false };
  const reset = (buffer: Buffer): LineBatch => {
    batch.buffer = buffer;
    batch.starts.length = batch.ends.length = batch.lineNos.length = 0;
    return batch;
  };
  for await (const chunk of chunks) {
    let start = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (carry && nl !== -1) {
      const joined = Buffer.concat([carry, chunk.subarray(0, nl)]);
      carry = undefined;
      lineNo++;
      if (push(reset(joined), 0, joined.length, lineNo)) yield batch;
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    reset(chunk);
    while (nl !== -1) {
      push(batch, start, nl, ++lineNo);
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    // Copied: the decoder may reuse the chunk's memory for the next one.
    if (start < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(start)]) : Buffer.from(chunk.subarray(start));
    if (batch.starts.length > 0) yield batch;
  }
  if (carry && push(reset(carry), 0, carry.length, lineNo + 1)) {
    batch.unterminated = true;
    yield batch;
  }
}

/** Adds a line unless it is empty (after a trailing carriage return); says whether it did. */
function push(batch: LineBatch, start: number, end: number, lineNo: number): boolean {
  if (end > start && batch.buffer[end - 1] === CARRIAGE_RETURN) end--;
  if (end === start) return false;
  batch.starts.push(start);
  batch.ends.push(end);
  batch.lineNos.push(lineNo);
  return true;
}
