import { BACKSLASH, CLOSE_OBJECT, OPEN_OBJECT, QUOTE } from './json-bytes.js';

const FAST_PREFIX = Buffer.from('{"Event":"');
const EVENT_KEY = Buffer.from('"Event"');

/**
 * The `"Event"` name of the JSON line `line[start, end)`, read from its bytes without parsing the line. Spark
 * always writes `Event` first, so the fast path is a prefix compare; other writers' layouts fall back to a
 * search. Returns undefined when the line names no event.
 */
export function sniffEventName(line: Buffer, start = 0, end = line.length): string | undefined {
  if (end - start > FAST_PREFIX.length && bytesAt(line, start, FAST_PREFIX)) {
    return recentName(line, start + FAST_PREFIX.length, end) ?? readString(line, start + FAST_PREFIX.length, end);
  }
  const key = line.subarray(start, end).indexOf(EVENT_KEY);
  if (key === -1) return undefined;
  let i = start + key + EVENT_KEY.length;
  while (i < end && isSpace(line[i]!)) i++;
  if (line[i] !== 0x3a /* : */) return undefined;
  i++;
  while (i < end && isSpace(line[i]!)) i++;
  if (line[i] !== QUOTE) return undefined;
  return readString(line, i + 1, end);
}

/** Names seen lately, as bytes: a log repeats a handful of names, and comparing bytes beats making strings. */
const recent: { name: string; bytes: Buffer }[] = [];
const MAX_RECENT = 8;

function recentName(line: Buffer, at: number, end: number): string | undefined {
  for (const { name, bytes } of recent) {
    const nameEnd = at + bytes.length;
    if (nameEnd < end && line[nameEnd] === QUOTE && bytesAt(line, at, bytes)) return name;
  }
  return undefined;
}

/**
 * Whether `line` holds `bytes` at `at` (the caller knows they fit). A loop over a few dozen bytes: Buffer's
 * `compare` with offsets checks its arguments and crosses into C++ on every call, which cost 0.15-0.2 s of a
 * 1 GB log's reading (two or more calls a line).
 */
function bytesAt(line: Buffer, at: number, bytes: Buffer): boolean {
  for (let i = 0; i < bytes.length; i++) if (line[at + i] !== bytes[i]) return false;
  return true;
}

function remember(name: string): string {
  if (recent.length === MAX_RECENT) recent.pop();
  recent.unshift({ name, bytes: Buffer.from(name, 'latin1') });
  return name;
}

function readString(line: Buffer, start: number, end: number): string | undefined {
  const view = line.subarray(start, end);
  const close = view.indexOf(QUOTE);
  if (close === -1) return undefined;
  // Event names are class names; an escape inside one means this is not a name we can trust without parsing.
  const backslash = view.indexOf(BACKSLASH);
  if (backslash !== -1 && backslash < close) return undefined;
  return remember(line.toString('latin1', start, start + close));
}

function isSpace(byte: number): boolean {
  return byte === 0x20 || byte === 0x09;
}

/** A cheap shape check for lines no table parses: a JSON object line starts with `{` and ends with `}`. */
export function looksLikeJsonObject(line: Buffer, start = 0, end = line.length): boolean {
  return end > start && line[start] === OPEN_OBJECT && line[end - 1] === CLOSE_OBJECT;
}
