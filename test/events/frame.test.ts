import { expect, test } from 'vitest';
import { frameLines } from '../../src/events/frame.js';
import { sniffEventName } from '../../src/events/sniff.js';

async function* chunks(...parts: string[]) {
  for (const p of parts) yield Buffer.from(p);
}

async function framed(...parts: string[]) {
  const lines = [];
  for await (const batch of frameLines(chunks(...parts))) for (const l of batch) lines.push({ text: l.bytes.toString(), lineNo: l.lineNo, unterminated: l.unterminated });
  return lines;
}

test('lines split across chunks are joined; CRLF and blank lines are handled; numbering counts every line', async () => {
  expect(await framed('{"a":1}\n{"b"', ':2}\r\n\n{"c":3}')).toEqual([
    { text: '{"a":1}', lineNo: 1, unterminated: false },
    { text: '{"b":2}', lineNo: 2, unterminated: false },
    { text: '{"c":3}', lineNo: 4, unterminated: true },
  ]);
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
