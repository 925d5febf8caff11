import { expect, test } from 'vitest';
import { frameLines, type LineCursor, nextLine } from '../../src/events/frame.js';
import { sniffEventName } from '../../src/events/sniff.js';

async function* chunks(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}

async function framed(...parts: string[]) {
  const lines = [];
  let lineNo = 0;
  const line: LineCursor = { start: 0, end: 0, next: 0 };
  for await (const region of frameLines(chunks(...parts))) {
    for (let pos = region.start; pos < region.end; pos = line.next) {
      nextLine(region, pos, line);
      lineNo++;
      if (line.end === line.start) continue;
      const unterminated = region.unterminated && line.next > region.end;
      lines.push({ text: region.buffer.toString('utf8', line.start, line.end), lineNo, unterminated });
    }
  }
  return lines;
}

test('lines split across chunks are joined; CRLF and blank lines are handled; numbering counts every line', async () => {
  expect(await framed('{"a":1}\n{"b"', ':2}\r\n\n{"c":3}')).toEqual([
    { text: '{"a":1}', lineNo: 1, unterminated: false },
    { text: '{"b":2}', lineNo: 2, unterminated: false },
    { text: '{"c":3}', lineNo: 4, unterminated: true },
  ]);
});

test('a chunk of many lines, a line spanning three chunks, and a chunk with no newline at all', async () => {
  expect(await framed('{"a":1}\n{"b":2}\n{"c"', ':', '3}\n{"d":4}\n')).toEqual([
    { text: '{"a":1}', lineNo: 1, unterminated: false },
    { text: '{"b":2}', lineNo: 2, unterminated: false },
    { text: '{"c":3}', lineNo: 3, unterminated: false },
    { text: '{"d":4}', lineNo: 4, unterminated: false },
  ]);
});

test('the event name is read at an offset inside a bigger buffer, never past the line', () => {
  const chunk = Buffer.from('{"Event":"SparkListenerJobEnd"}\n{"Event":"SparkListenerTaskEnd"');
  expect(sniffEventName(chunk, 0, 31)).toBe('SparkListenerJobEnd');
  expect(sniffEventName(chunk, 32, chunk.length)).toBe('SparkListenerTaskEnd');
  expect(sniffEventName(chunk, 32, chunk.length - 3)).toBeUndefined();
});

test('a log ending with a newline has no unterminated line', async () => {
  expect((await framed('{"a":1}\n')).map((l) => l.unterminated)).toEqual([false]);
});

test('the event name is read from the bytes, with or without the usual key order and spacing', () => {
  expect(sniffEventName(Buffer.from('{"Event":"SparkListenerTaskEnd","Stage ID":1}'))).toBe('SparkListenerTaskEnd');
  expect(sniffEventName(Buffer.from('{"Stage ID":1, "Event" : "SparkListenerTaskEnd"}'))).toBe('SparkListenerTaskEnd');
  expect(sniffEventName(Buffer.from('{"Event":"org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart"}'))).toBe(
    'org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart',
  );
  expect(sniffEventName(Buffer.from('{"NoEvent":1}'))).toBeUndefined();
  expect(sniffEventName(Buffer.from('{"Event":"cut'))).toBeUndefined();
  expect(sniffEventName(Buffer.from([0xff, 0x00, 0x12]))).toBeUndefined();
});
