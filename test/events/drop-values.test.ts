import { expect, test } from 'vitest';
import { dropUnreadValues, ONLY_READ_KEY, skipValue, UNREAD_KEYS } from '../../src/events/drop-values.js';
import { pathIn } from '../../src/store/spec.js';
import { eventTables } from '../../src/store/tables/index.js';

const ENV = 'SparkListenerEnvironmentUpdate';
const STAGE = 'SparkListenerStageCompleted';

function dropped(event: string, text: string): string {
  const line = Buffer.from(`xx${text}yy`); // offsets inside a bigger buffer, as in a decompressed chunk
  const ranges: number[] = [];
  dropUnreadValues(event, line, 2, line.length - 2, ranges);
  let out = '';
  for (let i = 0; i < ranges.length; i += 2) out += line.toString('utf8', ranges[i], ranges[i + 1]);
  return out;
}

test('unread values are cut wherever they sit, and the line stays the same JSON minus them', () => {
  const env = {
    Event: ENV, 'JVM Information': { 'Java Version': '17' }, 'Spark Properties': { 'spark.app.name': 'x "quoted" {braces}' },
    'Hadoop Properties': { 'a.b': 'c\\"d', e: '}]' }, 'System Properties': {}, 'Classpath Entries': { '/x.jar': 'System Classpath' },
  };
  const out = dropped(ENV, JSON.stringify(env));
  expect(JSON.parse(out)).toEqual({ Event: ENV, 'JVM Information': { 'Java Version': '17' }, 'Spark Properties': env['Spark Properties'] });
  // the only key read may be a list of pairs (some writers), and may come last
  expect(JSON.parse(dropped(ENV, '{"Event":"e","Spark Properties":[["a","}"]],"System Properties":{}}'))).toEqual({ Event: 'e', 'Spark Properties': [['a', '}']] });
  expect(JSON.parse(dropped(ENV, '{"Event":"e","Spark Properties":{}}'))).toEqual({ Event: 'e', 'Spark Properties': {} });
  // first member, last member, nested and repeated
  const SQL = 'org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart';
  expect(JSON.parse(dropped(SQL, '{"sparkPlanInfo":{"k":"v"},"Event":"e"}'))).toEqual({ Event: 'e' });
  expect(JSON.parse(dropped(SQL, '{"Event":"e","sparkPlanInfo":[1,2,{"x":[]}],"time":3}'))).toEqual({ Event: 'e', time: 3 });
  expect(JSON.parse(dropped(SQL, '{"sparkPlanInfo":null}'))).toEqual({});
  const stage = { Event: STAGE, 'Stage Info': { 'Stage ID': 3, Accumulables: [{ ID: 1, Value: '2' }], 'Number of Tasks': 4 } };
  expect(JSON.parse(dropped(STAGE, JSON.stringify(stage)))).toEqual({ Event: STAGE, 'Stage Info': { 'Stage ID': 3, 'Number of Tasks': 4 } });
  const twice = { Event: STAGE, 'Stage Info': { 'Stage ID': 1, Accumulables: [], RDD: [{ Accumulables: [{ a: 1 }] }] } };
  expect(JSON.parse(dropped(STAGE, JSON.stringify(twice)))).toEqual({ Event: STAGE, 'Stage Info': { 'Stage ID': 1, RDD: [{}] } });
});

test('a line whose unread value has no end is left whole; other events are left whole', () => {
  expect(dropped(ENV, '{"Event":"e","Spark Properties":{"k":"v"')).toBe('{"Event":"e","Spark Properties":{"k":"v"');
  expect(dropped(STAGE, '{"Event":"e","Accumulables":[{"k":"v"')).toBe('{"Event":"e","Accumulables":[{"k":"v"');
  expect(dropped('SparkListenerTaskStart', '{"Event":"t","Accumulables":[]}')).toBe('{"Event":"t","Accumulables":[]}');
  expect(skipValue(Buffer.from('"a\\\\"x'), 0)).toBe(5);
  expect(skipValue(Buffer.from('123}'), 0)).toBe(3);
  expect(skipValue(Buffer.from('[1,[2]],'), 0)).toBe(7);
});

test('tables read nothing but the only key kept', () => {
  for (const [event, key] of Object.entries(ONLY_READ_KEY)) {
    for (const table of eventTables.filter((t) => t.events.includes(event))) {
      const paths = [...Object.values(table.columns).map((c) => pathIn(c, event)).filter((p) => p !== undefined), table.records?.[event] ?? [key]];
      for (const path of paths) expect(path[0], `${table.name} reads ${path.join('.')} of ${event}`).toBe(key);
    }
  }
});

test('no table reads a key that is dropped', () => {
  for (const [event, keys] of Object.entries(UNREAD_KEYS)) {
    for (const table of eventTables.filter((t) => t.events.includes(event))) {
      const paths = [...Object.values(table.columns).map((c) => pathIn(c, event) ?? []), table.records?.[event] ?? []];
      for (const path of paths) for (const key of keys) expect(path, `${table.name} reads ${key} of ${event}`).not.toContain(key);
    }
  }
});
