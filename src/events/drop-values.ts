import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE } from './json-bytes.js';

/**
 * Big parts of light events that no table reads, by event: DuckDB would parse them (twice: once to insert,
 * once to look for bad lines) for nothing. A test checks that no table reads a dropped key.
 */
export const UNREAD_KEYS: Readonly<Record<string, readonly string[]>> = {
  'org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart': ['sparkPlanInfo'],
  'org.apache.spark.sql.execution.ui.SparkListenerSQLAdaptiveExecutionUpdate': ['sparkPlanInfo'],
  SparkListenerStageCompleted: ['Accumulables', 'RDD Info', 'Details'],
  // Each stage's RDDs and call-site stack trace were half of a fleet's stage and job bytes.
  SparkListenerJobStart: ['RDD Info', 'Details'],
  SparkListenerStageSubmitted: ['RDD Info', 'Details', 'Properties'],
  SparkListenerExecutorAdded: ['Log Urls', 'Attributes', 'Resources'],
};

/**
 * Events of which tables read one key only: everything after its value is cut. In a fleet of small apps the
 * environment's Hadoop properties and classpath are a quarter of all bytes, and cutting them key by key
 * cost more than the rest of reading (a search for each key through 90 KB of `"...":` pairs).
 */
export const ONLY_READ_KEY: Readonly<Record<string, string>> = {
  SparkListenerEnvironmentUpdate: 'Spark Properties',
};

const needles = new Map<string, Buffer[]>(
  Object.entries(UNREAD_KEYS).map(([event, keys]) => [event, keys.map((k) => Buffer.from(`"${k}":`))]),
);
const onlyNeedles = new Map(Object.entries(ONLY_READ_KEY).map(([event, key]) => [event, Buffer.from(`"${key}":`)]));

/**
 * The ranges of `line[start, end)` left once every `"key":value` of `event`'s unread keys is cut out (with its
 * comma), written to `ranges` as [from, to, ...]. A value whose end cannot be found is left in place.
 */
export function dropUnreadValues(event: string, line: Buffer, start: number, end: number, ranges: number[]): void {
  ranges.length = 0;
  const only = onlyNeedles.get(event);
  if (only && keepOnly(only, line, start, end, ranges)) return;
  const keys = needles.get(event);
  const cuts: number[] = [];
  if (keys) {
    const view = line.subarray(start, end);
    for (const key of keys) {
      for (let at = view.indexOf(key); at !== -1; at = view.indexOf(key, at + key.length)) {
        const valueEnd = skipValue(view, at + key.length);
        if (valueEnd === -1) continue;
        // `,"key":value` loses its leading comma; a first member `"key":value,` its trailing one.
        if (view[at - 1] === COMMA) cuts.push(at - 1, valueEnd);
        else if (view[valueEnd] === COMMA) cuts.push(at, valueEnd + 1);
        else cuts.push(at, valueEnd);
      }
    }
  }
  let from = start;
  for (const [cutStart, cutEnd] of sortedPairs(cuts)) {
    if (start + cutStart < from) continue; // inside an earlier cut
    ranges.push(from, start + cutStart);
    from = start + cutEnd;
  }
  ranges.push(from, end);
}

/** `{...,"key":value}` with nothing after the value; false (nothing written) if the value has no end. */
function keepOnly(key: Buffer, line: Buffer, start: number, end: number, ranges: number[]): boolean {
  const view = line.subarray(start, end);
  const at = view.indexOf(key);
  const valueEnd = at === -1 ? -1 : skipValue(view, at + key.length);
  if (valueEnd === -1 || view[view.length - 1] !== CLOSE_OBJECT) return false;
  ranges.push(start, start + valueEnd, end - 1, end);
  return true;
}

function sortedPairs(flat: number[]): [number, number][] {
  const pairs: [number, number][] = [];
  for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i]!, flat[i + 1]!]);
  return pairs.sort((a, b) => a[0] - b[0]);
}

/** The offset just after the JSON value starting at `at` (spaces allowed before it), or -1. */
export function skipValue(bytes: Buffer, at: number): number {
  let depth = 0;
  for (let i = at; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === QUOTE) {
      i = closingQuote(bytes, i);
      if (i === -1) return -1;
      if (depth === 0) return i + 1;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) depth++;
    else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      if (depth === 0) return i; // a number or literal ends where its parent does
      if (--depth === 0) return i + 1;
    } else if (depth === 0 && (b === COMMA || b === COLON)) return b === COMMA ? i : -1;
  }
  return -1;
}

function closingQuote(bytes: Buffer, open: number): number {
  for (let q = bytes.indexOf(QUOTE, open + 1); q !== -1; q = bytes.indexOf(QUOTE, q + 1)) {
    let backslashes = 0;
    while (bytes[q - 1 - backslashes] === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return q;
  }
  return -1;
}
