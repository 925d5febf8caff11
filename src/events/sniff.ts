const FAST_PREFIX = Buffer.from('{"Event":"');
const EVENT_KEY = Buffer.from('"Event"');
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The `"Event"` name of a JSON line, read from its bytes without parsing the line. Spark always writes `Event`
 * first, so the fast path is a prefix compare; other writers' layouts fall back to a search.
 * Returns undefined when the line names no event.
 */
export function sniffEventName(line: Buffer): string | undefined {
  if (line.length > FAST_PREFIX.length && line.compare(FAST_PREFIX, 0, FAST_PREFIX.length, 0, FAST_PREFIX.length) === 0) {
    return readString(line, FAST_PREFIX.length);
  }
  const key = line.indexOf(EVENT_KEY);
  if (key === -1) return undefined;
  let i = key + EVENT_KEY.length;
  while (i < line.length && isSpace(line[i]!)) i++;
  if (line[i] !== 0x3a /* : */) return undefined;
  i++;
  while (i < line.length && isSpace(line[i]!)) i++;
  if (line[i] !== QUOTE) return undefined;
  return readString(line, i + 1);
}

function readString(line: Buffer, start: number): string | undefined {
  const end = line.indexOf(QUOTE, start);
  if (end === -1) return undefined;
  // Event names are class names; an escape inside one means this is not a name we can trust without parsing.
  if (line.indexOf(BACKSLASH, start) !== -1 && line.indexOf(BACKSLASH, start) < end) return undefined;
  return line.toString('latin1', start, end);
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09;
}

/** A cheap shape check for lines no table parses: a JSON object line starts with `{` and ends with `}`. */
export function looksLikeJsonObject(line: Buffer): boolean {
  return line[0] === 0x7b && line[line.length - 1] === 0x7d;
}
