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
    return recentName(line) ?? readString(line, FAST_PREFIX.length);
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

/** Names seen lately, as bytes: a log repeats a handful of names, and comparing bytes beats making strings. */
const recent: { name: string; bytes: Buffer }[] = [];
const MAX_RECENT = 8;

function recentName(line: Buffer): string | undefined {
  const start = FAST_PREFIX.length;
  for (const { name, bytes } of recent) {
    const end = start + bytes.length;
    if (line[end] === QUOTE && line.compare(bytes, 0, bytes.length, start, end) === 0) return name;
  }
  return undefined;
}

function remember(name: string): string {
  if (recent.length === MAX_RECENT) recent.pop();
  recent.unshift({ name, bytes: Buffer.from(name, 'latin1') });
  return name;
}

function readString(line: Buffer, start: number): string | undefined {
  const end = line.indexOf(QUOTE, start);
  if (end === -1) return undefined;
  // Event names are class names; an escape inside one means this is not a name we can trust without parsing.
  const backslash = line.indexOf(BACKSLASH, start);
  if (backslash !== -1 && backslash < end) return undefined;
  return remember(line.toString('latin1', start, end));
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09;
}

/** A cheap shape check for lines no table parses: a JSON object line starts with `{` and ends with `}`. */
export function looksLikeJsonObject(line: Buffer): boolean {
  return line[0] === 0x7b && line[line.length - 1] === 0x7d;
}
