/** One line of an event log, still as bytes; `lineNo` counts from 1 across all parts of a log. */
export interface EventLine {
  bytes: Buffer;
  lineNo: number;
  /** The last line of the log had no newline: it may be cut short. */
  unterminated: boolean;
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

/**
 * Splits decompressed chunks into lines without decoding them: Buffers stay Buffers, because turning bytes into
 * JS strings costs more than decompressing them. Yields the lines of each chunk together (one await per chunk,
 * not per line). Empty lines are dropped but still counted.
 */
export async function* frameLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<EventLine[]> {
  let carry: Buffer | undefined;
  let lineNo = 0;
  for await (const chunk of chunks) {
    const lines: EventLine[] = [];
    let start = 0;
    let nl = chunk.indexOf(NEWLINE, start);
    while (nl !== -1) {
      lineNo++;
      const piece = chunk.subarray(start, nl);
      const bytes = carry ? Buffer.concat([carry, piece]) : piece;
      carry = undefined;
      const line = trimCarriageReturn(bytes);
      if (line.length > 0) lines.push({ bytes: line, lineNo, unterminated: false });
      start = nl + 1;
      nl = chunk.indexOf(NEWLINE, start);
    }
    if (start < chunk.length) {
      const rest = chunk.subarray(start);
      carry = carry ? Buffer.concat([carry, rest]) : rest;
    }
    if (lines.length > 0) yield lines;
  }
  if (carry && carry.length > 0) {
    const line = trimCarriageReturn(carry);
    if (line.length > 0) yield [{ bytes: line, lineNo: lineNo + 1, unterminated: true }];
  }
}

function trimCarriageReturn(line: Buffer): Buffer {
  return line.length > 0 && line[line.length - 1] === CARRIAGE_RETURN ? line.subarray(0, line.length - 1) : line;
}
