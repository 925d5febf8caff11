import { describe, expect, test } from 'vitest';
import { RowBuffer } from '../../src/events/row-buffer.js';
import { ROW_BUFFER_WASM } from '../../src/events/row-buffer-wasm.js';
import type { FieldSpec } from '../../src/events/row-template.js';
import { slimTaskEnd } from '../../src/events/slim.js';
import { ROW_BUFFER, compileWat, embeddedModule } from '../tools/compile-wasm.js';

const FIELDS: FieldSpec[] = [
  { path: ['Stage ID'], kind: 'integer', digits: 9 },
  { path: ['Task Info', 'Task ID'], kind: 'integer' },
  { path: ['Task Info', 'Host'], kind: 'string' },
  { path: ['Task Info', 'Failed'], kind: 'boolean' },
  { path: ['Task Metrics', 'Executor Run Time'], kind: 'integer' },
  { path: ['Task Metrics', 'Input Metrics', 'Bytes Read'], kind: 'integer' },
  { path: ['Task End Reason', 'Reason'], kind: 'string' },
];

type Value = bigint | string | boolean | null;

/** The row as the buffer holds it, field by field (strings and booleans decoded). */
function rowOf(buffer: RowBuffer, row: number): Value[] {
  const strings = buffer.strings();
  return FIELDS.map((field, i) => {
    const column = i + 2;
    const valid = (buffer.validity(column, row - (row % 8), 8)[0]! >> (row % 8)) & 1;
    if (!valid) return null;
    const value = new BigInt64Array(buffer.values(column, row, 1).slice().buffer)[0]!;
    if (field.kind === 'string') return strings[Number(value) - 1]!;
    if (field.kind === 'boolean') return value === 1n;
    return value;
  });
}

/** The matcher's string hash: 32-bit FNV-1a. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let c = 0; c < text.length; c++) hash = Math.imul(hash ^ text.charCodeAt(c), 0x01000193) >>> 0;
  return hash;
}

function slotAndLine(buffer: RowBuffer, row: number): [bigint, bigint] {
  return [0, 1].map((c) => new BigInt64Array(buffer.values(c, row, 1).slice().buffer)[0]!) as [bigint, bigint];
}

function add(buffer: RowBuffer, line: string, slot = 1, lineNo = 1): boolean {
  const bytes = Buffer.from(`xx${line}yy`);
  return buffer.add(slot, lineNo, bytes, [2, bytes.length - 2]);
}

function taskLine(o: { stage?: unknown; id?: unknown; host?: unknown; failed?: unknown; run?: unknown; read?: unknown; reason?: unknown } = {}): string {
  const object = {
    Event: 'SparkListenerTaskEnd',
    'Stage ID': o.stage ?? 3,
    'Task Type': 'ResultTask',
    'Task End Reason': { Reason: o.reason ?? 'Success' },
    'Task Info': { 'Task ID': o.id ?? 41, Index: 7, Host: o.host ?? 'worker-1', Failed: o.failed ?? false, Accumulables: [] },
    'Task Metrics': { 'Executor Run Time': o.run ?? 1232, 'Input Metrics': { 'Bytes Read': o.read ?? 0, 'Records Read': 5 }, 'Updated Blocks': [] },
  };
  // Big integers are written as Spark writes longs: digits.
  return JSON.stringify(object, (_, v: unknown) => (typeof v === 'bigint' ? `__big${v}` : v)).replace(/"__big(-?\d+)"/g, '$1');
}

test('the embedded module is the compiled row-buffer.wat (run `npm run wasm` after changing it)', async () => {
  expect(embeddedModule(ROW_BUFFER, await compileWat(ROW_BUFFER.wat))).toContain(`'${ROW_BUFFER_WASM}'`);
});

describe('a row buffer', () => {
  test('reads each field of lines of one shape, with the slot and line number of each', () => {
    const buffer = new RowBuffer(FIELDS, 64);
    const lines = [
      { stage: 0, id: 0, host: 'a', failed: false, run: 0, read: 0 },
      { stage: 123456789, id: 999999999999999999n, host: 'host-2.example.internal', failed: true, run: -17, read: 1073741824 },
      { stage: -5, id: 1, host: '', failed: false, run: 9007199254740993n, read: 10 },
    ];
    for (const [i, o] of lines.entries()) expect(add(buffer, taskLine(o), i + 1, 100 + i)).toBe(true);
    expect(buffer.rows).toBe(3);
    expect(rowOf(buffer, 0)).toEqual([0n, 0n, 'a', false, 0n, 0n, 'Success']);
    expect(rowOf(buffer, 1)).toEqual([123456789n, 999999999999999999n, 'host-2.example.internal', true, -17n, 1073741824n, 'Success']);
    expect(rowOf(buffer, 2)).toEqual([-5n, 1n, '', false, 9007199254740993n, 10n, 'Success']);
    expect(slotAndLine(buffer, 2)).toEqual([3n, 102n]);
    expect(buffer.strings()).toEqual(['Success', 'a', 'host-2.example.internal', '']);
  });

  test('learns a template per shape: missing and null fields are NULL, other keys are skipped', () => {
    const buffer = new RowBuffer(FIELDS, 64);
    const shapes = [
      taskLine(),
      '{"Event":"SparkListenerTaskEnd","Stage ID":4,"Task Info":{"Task ID":8,"Host":null}}',
      '{"Task Metrics":null,"Extra":{"a":[1,2,{"b":"c"}],"d":-1.5e3,"e":"f\\"g"},"Task Info":{"Failed":true,"Task ID":9},"Stage ID":null}',
      '{}',
    ];
    for (const line of [...shapes, ...shapes]) expect(add(buffer, line)).toBe(true);
    const expected: Value[][] = [
      [3n, 41n, 'worker-1', false, 1232n, 0n, 'Success'],
      [4n, 8n, null, null, null, null, null],
      [null, 9n, null, true, null, null, null],
      [null, null, null, null, null, null, null],
    ];
    for (let row = 0; row < 8; row++) expect(rowOf(buffer, row)).toEqual(expected[row % 4]);
  });

  test('keeps reading when lines of more shapes than it holds templates for alternate', () => {
    const buffer = new RowBuffer(FIELDS, 256);
    const lines = Array.from({ length: 40 }, (_, i) => `{"k${i % 13}":${i},"Stage ID":${i},"Task Info":{"Host":"h${i % 3}"}}`);
    for (const line of lines) expect(add(buffer, line)).toBe(true);
    for (const [row, line] of lines.entries()) {
      const stage = BigInt(row);
      expect(rowOf(buffer, row), line).toEqual([stage, null, `h${row % 3}`, null, null, null, null]);
    }
  });

  test.each([
    ['a space between tokens', '{"Stage ID": 3}'],
    ['a fraction in an integer field', '{"Stage ID":3.0}'],
    ['an exponent in an integer field', '{"Stage ID":3e2}'],
    ['a leading zero', '{"Stage ID":03}'],
    ['an INTEGER of 10 digits', '{"Stage ID":2147483647}'],
    ['a BIGINT of 19 digits', '{"Task Info":{"Task ID":1234567890123456789}}'],
    ['a string where a number belongs', '{"Stage ID":"3"}'],
    ['a number where a string belongs', '{"Task Info":{"Host":3}}'],
    ['a number where a boolean belongs', '{"Task Info":{"Failed":0}}'],
    ['an object where a value belongs', '{"Task Info":{"Host":{"a":1}}}'],
    ['a number where an object of fields belongs', '{"Task Info":5}'],
    ['a key given twice', '{"Stage ID":3,"Stage ID":4}'],
    ['an escape in a string field', '{"Task Info":{"Host":"a\\"b"}}'],
    ['a \\u escape anywhere', '{"x":"\\u00e9","Stage ID":1}'],
    ['a byte outside ASCII', '{"x":"é","Stage ID":1}'],
    ['a control character', '{"x":"a\tb"}'],
    ['a cut line', '{"Stage ID":3,"Task Info":{"Task ID":4}'],
    ['trailing bytes', '{"Stage ID":3}x'],
    ['a bad literal', '{"x":tru}'],
    ['not an object', '[1,2]'],
  ])('refuses %s (the line is left to DuckDB)', (_, line) => {
    const buffer = new RowBuffer(FIELDS, 64);
    expect(add(buffer, line)).toBe(false);
    expect(buffer.rows).toBe(0);
  });

  test('refuses a line its template would misread, and leaves nothing of it in the next row', () => {
    const buffer = new RowBuffer(FIELDS, 64);
    expect(add(buffer, taskLine({ stage: 1, id: 2, run: 3, read: 4 }))).toBe(true);
    // Same shape until the last value, which is a fraction: the matcher writes the first fields, then fails.
    expect(add(buffer, taskLine({ stage: 5, id: 6, run: 7 }).replace('"Bytes Read":0', '"Bytes Read":0.5'))).toBe(false);
    expect(add(buffer, '{"Task End Reason":{"Reason":"Resubmitted"}}')).toBe(true);
    expect(rowOf(buffer, 1)).toEqual([null, null, null, null, null, null, 'Resubmitted']);
    // A value of the right kind but too long for its column, in a learned shape.
    expect(add(buffer, taskLine({ stage: 1234567890 }))).toBe(false);
    expect(add(buffer, taskLine().replace('"Executor Run Time":1232', '"Executor Run Time":01232'))).toBe(false);
    expect(add(buffer, taskLine({ host: 'x\\y' }))).toBe(false);
    expect(add(buffer, taskLine({ host: 'é' }))).toBe(false);
    expect(buffer.rows).toBe(2);
  });

  test('is full at its capacity, and empty again (strings too) once cleared', () => {
    const buffer = new RowBuffer(FIELDS, 64);
    for (let i = 0; i < 64; i++) expect(add(buffer, taskLine({ host: `h${i}` }))).toBe(true);
    expect(buffer.full).toBe(true);
    expect(add(buffer, taskLine())).toBe(false);
    expect(buffer.strings()).toHaveLength(65);
    buffer.clear();
    expect(buffer.rows).toBe(0);
    expect(add(buffer, taskLine({ host: 'z' }))).toBe(true);
    expect(buffer.strings()).toEqual(['Success', 'z']);
    expect(rowOf(buffer, 0)).toEqual([3n, 41n, 'z', false, 1232n, 0n, 'Success']);
  });

  test('tells apart strings of one length whose hashes are equal', () => {
    // Found by searching h000000, h000001, ... (base 36) for a repeated hash.
    const [a, b] = ['h00mc3p', 'h01ae1a'];
    expect(fnv1a(a)).toBe(fnv1a(b));
    const buffer = new RowBuffer(FIELDS, 64);
    for (const host of [a, b, a, b]) expect(add(buffer, taskLine({ host }))).toBe(true);
    expect([0, 1, 2, 3].map((row) => rowOf(buffer, row)[2])).toEqual([a, b, a, b]);
  });

  test('refuses a line whose string no longer fits its dictionary, and reads the strings it knows', () => {
    const buffer = new RowBuffer(FIELDS, 4096);
    const long = (i: number) => `${i}`.padStart(1000, 'h');
    let refused = 0;
    for (let i = 0; i < 1100; i++) if (!add(buffer, taskLine({ host: long(i) }))) refused++;
    // 1 MiB of string bytes: about 1,048 hosts of 1,000 bytes fit.
    expect(refused).toBeGreaterThan(40);
    expect(refused).toBeLessThan(60);
    expect(add(buffer, taskLine({ host: long(0) }))).toBe(true);
    expect(rowOf(buffer, buffer.rows - 1)[2]).toBe(long(0));
  });
});

describe('a row buffer scanning decoded chunks', () => {
  /** A Spark 3 task end as Spark writes it: Accumulables last in Task Info, executor gauges, push-based counters. */
  function sparkTaskEnd(id: number): string {
    return (
      `{"Event":"SparkListenerTaskEnd","Stage ID":3,"Task Type":"ResultTask","Task End Reason":{"Reason":"Success"},` +
      `"Task Info":{"Task ID":${id},"Index":7,"Host":"worker-${id % 3}","Failed":false,"Accumulables":[{"ID":1,"Name":"x","Update":${id},"Value":"]}"}]},` +
      `"Task Executor Metrics":{"JVMHeapMemory":${id * 1000}},` +
      `"Task Metrics":{"Executor Run Time":${id * 10},"Shuffle Read Metrics":{"Remote Blocks Fetched":1,"Push Based Shuffle":{"Corrupt Merged Block Chunks":0}},` +
      `"Input Metrics":{"Bytes Read":${id * 100},"Records Read":5},"Updated Blocks":[]}}`
    );
  }
  const taskStart = (id: number) => `{"Event":"SparkListenerTaskStart","Stage ID":3,"Task Info":{"Task ID":${id}}}`;
  const jobEnd = '{"Event":"SparkListenerJobEnd","Job ID":1}';
  const expected = (id: number): Value[] => [3n, BigInt(id), `worker-${id % 3}`, false, BigInt(id * 10), BigInt(id * 100), 'Success'];

  /** Teaches `buffer` the template of sparkTaskEnd lines the way ingest does: slimmed by slim.ts, through add. */
  function teach(buffer: RowBuffer): void {
    const line = Buffer.from(sparkTaskEnd(1));
    const ranges: number[] = [];
    slimTaskEnd(line, 0, line.length, ranges);
    expect(buffer.add(1, 1, line, ranges)).toBe(true);
  }

  test('takes task ends as rows (slimmed as slim.ts slims them), skips task starts and stops at any other line', () => {
    const buffer = new RowBuffer(FIELDS, 64);
    teach(buffer);
    const text = [taskStart(2), sparkTaskEnd(2), '', sparkTaskEnd(3) + '\r', jobEnd, sparkTaskEnd(4), '{"Event":"SparkListenerTaskEnd"'].join('\n');
    const source = Buffer.from(`xx${text}`);
    let stop = buffer.scan(7, 1000, source, 2, source.length, 10);
    expect([stop.rows, stop.skipped, stop.line, stop.lineNo, stop.lastLine]).toEqual([2, 1, true, 15, 14]);
    expect(source.toString('utf8', stop.lineStart, stop.lineEnd)).toBe(jobEnd);
    expect(rowOf(buffer, 1)).toEqual(expected(2));
    expect(rowOf(buffer, 2)).toEqual(expected(3));
    expect(slotAndLine(buffer, 1)).toEqual([7n, 1012n]);
    expect(slotAndLine(buffer, 2)).toEqual([7n, 1014n]);

    // The cut last line has no newline: it is left where it starts, for the caller.
    stop = buffer.scan(7, 1000, source, stop.pos, source.length, stop.lineNo);
    expect([stop.rows, stop.skipped, stop.line, stop.lineNo, stop.lastLine]).toEqual([1, 0, false, 16, 16]);
    expect(source.toString('utf8', stop.pos)).toBe('{"Event":"SparkListenerTaskEnd"');
    expect(rowOf(buffer, 3)).toEqual(expected(4));
    expect(buffer.rows).toBe(4);
  });

  test.each([
    ['another shape', sparkTaskEnd(5).replace('"Index":7', '"Index":"7"')],
    ['a line that is not a whole object', sparkTaskEnd(5).slice(0, -1) + ' '],
    ['a task start that is not a whole object', taskStart(5).slice(0, -2) + ' '],
  ])('hands the caller %s', (_, line) => {
    const buffer = new RowBuffer(FIELDS, 64);
    teach(buffer);
    const source = Buffer.from(`${line}\n${sparkTaskEnd(6)}\n`);
    const stop = buffer.scan(1, 0, source, 0, source.length, 0);
    expect([stop.rows, stop.skipped, stop.line, stop.lineStart, stop.lineEnd, stop.lineNo]).toEqual([0, 0, true, 0, line.length, 1]);
    expect(buffer.rows).toBe(1);
  });

  test('reads a source bigger than its window, window by window, and leaves a line longer than a window to the caller', () => {
    const buffer = new RowBuffer(FIELDS, 4096);
    teach(buffer);
    const ids = Array.from({ length: 3000 }, (_, i) => i + 10);
    const long = `{"Event":"SparkListenerTaskEnd","x":"${'a'.repeat(1.5 * 1024 * 1024)}"}`;
    const source = Buffer.from([...ids.map(sparkTaskEnd), long, sparkTaskEnd(5)].join('\n') + '\n');
    expect(source.length).toBeGreaterThan(2 * 1024 * 1024);
    const stop = buffer.scan(1, 0, source, 0, source.length, 0);
    expect([stop.rows, stop.line, stop.lineNo]).toEqual([3000, false, 3000]);
    expect(source.indexOf(long)).toBe(stop.pos);
    for (const [i, id] of ids.entries()) expect(rowOf(buffer, i + 1)).toEqual(expected(id));
    expect(slotAndLine(buffer, 3000)).toEqual([1n, 3000n]);
  });

  test('stops when full, at the first line it did not read', () => {
    const buffer = new RowBuffer(FIELDS, 64);
    teach(buffer);
    const source = Buffer.from(Array.from({ length: 70 }, (_, i) => sparkTaskEnd(i + 2)).join('\n') + '\n');
    const stop = buffer.scan(1, 0, source, 0, source.length, 0);
    expect([stop.rows, stop.line, stop.lineNo, buffer.full]).toEqual([63, false, 63, true]);
    expect(source.toString('utf8', stop.pos, source.indexOf('\n', stop.pos))).toBe(sparkTaskEnd(65));
  });
});

test('rows keep the NULLs of a template that a newer shape replaced', () => {
  const buffer = new RowBuffer(FIELDS, 64);
  // Nine shapes for eight templates: the ninth replaces the first, which filled other columns.
  const lines = ['{"Stage ID":1}', ...Array.from({ length: 7 }, (_, i) => `{"k${i}":0,"Stage ID":2}`), '{"Task Info":{"Task ID":3}}'];
  for (const line of lines) expect(add(buffer, line)).toBe(true);
  expect(rowOf(buffer, 0)).toEqual([1n, null, null, null, null, null, null]);
  expect(rowOf(buffer, 8)).toEqual([null, 3n, null, null, null, null, null]);
});

test('a line that differs from a template in any one byte is not read as the line the template was learned from', () => {
  const line = '{"Stage ID":3,"Task Info":{"Task ID":41,"Host":"worker-7","Failed":false},"Task End Reason":{"Reason":"Success"}}';
  for (let i = 1; i < line.length - 1; i++) {
    const buffer = new RowBuffer(FIELDS, 64);
    expect(add(buffer, line)).toBe(true);
    const changed = `${line.slice(0, i)}#${line.slice(i + 1)}`;
    // Refused (no longer JSON), or read with what changed (a key no column reads, another value).
    if (add(buffer, changed)) expect(rowOf(buffer, 1), changed).not.toEqual(rowOf(buffer, 0));
  }
});
