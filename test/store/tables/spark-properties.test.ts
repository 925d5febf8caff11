import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { REDACTED } from '../../../src/events/redact.js';
import { ingested } from '../../ingested.js';
import { tempDir } from '../../temp-dirs.js';

function log(properties: unknown): string {
  const file = path.join(tempDir('sparkopt-props-'), 'app-1');
  const lines = [
    { Event: 'SparkListenerEnvironmentUpdate', 'Spark Properties': properties, 'System Properties': { 'java.version': '17' } },
    { Event: 'SparkListenerApplicationStart', 'App Name': 'p', 'App ID': 'app-1', Timestamp: 1000, User: 'u' },
  ];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  return file;
}

const PROPERTIES: [string, string][] = [
  ['spark.executor.memory', '4g'],
  ['spark.hadoop.fs.s3a.secret.key', 'abc'],
  ['spark.ssl.keyStorePassword', 'x'],
  ['spark.some.TOKEN', 'x'],
  ['spark.hadoop.fs.s3a.access.key', 'AKIA'],
  ['spark.driver.extraJavaOptions', '-Dpassword=hunter2'],
  // `access[.]key`: a literal dot, so "accesskey" alone names no secret.
  ['spark.accesskeyring.size', '3'],
];
const EXPECTED = [
  { name: 'spark.accesskeyring.size', value: '3' },
  { name: 'spark.driver.extraJavaOptions', value: REDACTED },
  { name: 'spark.executor.memory', value: '4g' },
  { name: 'spark.hadoop.fs.s3a.access.key', value: REDACTED },
  { name: 'spark.hadoop.fs.s3a.secret.key', value: REDACTED },
  { name: 'spark.some.TOKEN', value: REDACTED },
  { name: 'spark.ssl.keyStorePassword', value: REDACTED },
];

test("properties are redacted like Spark's default spark.redaction.regex, by name or by value", async () => {
  const db = await ingested(log(Object.fromEntries(PROPERTIES)));
  expect(await db.all('SELECT name, value FROM spark_properties ORDER BY name')).toEqual(EXPECTED);
  db.close();
});

test('properties written as a list of [name, value] pairs are read the same way', async () => {
  const db = await ingested(log(PROPERTIES));
  expect(await db.all('SELECT name, value FROM spark_properties ORDER BY name')).toEqual(EXPECTED);
  db.close();
});

test('an environment posted again (addJar, addFile): one row per name, with the latest value', async () => {
  const file = path.join(tempDir('sparkopt-props-'), 'app-2');
  const env = (properties: Record<string, string>) => ({ Event: 'SparkListenerEnvironmentUpdate', 'Spark Properties': properties });
  const lines = [
    { Event: 'SparkListenerApplicationStart', 'App Name': 'p', 'App ID': 'app-2', Timestamp: 1000, User: 'u' },
    env({ 'spark.executor.memory': '4g', 'spark.jars': '' }),
    env({ 'spark.executor.memory': '4g', 'spark.jars': 'a.jar', 'spark.files': 'f.txt' }),
  ];
  writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const db = await ingested(file);
  expect(await db.all('SELECT name, value FROM spark_properties ORDER BY name')).toEqual([
    { name: 'spark.executor.memory', value: '4g' },
    { name: 'spark.files', value: 'f.txt' },
    { name: 'spark.jars', value: 'a.jar' },
  ]);
  db.close();
});

test("a writer's non-string values are stored as their JSON text, in either form", async () => {
  const values = { 'spark.executor.instances': 4, 'spark.dynamicAllocation.enabled': true, 'spark.x.list': [1, 'a'], 'spark.x.none': null };
  const expected = [
    { name: 'spark.dynamicAllocation.enabled', value: 'true' },
    { name: 'spark.executor.instances', value: '4' },
    { name: 'spark.x.list', value: '[1,"a"]' },
    { name: 'spark.x.none', value: null },
  ];
  for (const properties of [values, Object.entries(values)]) {
    const db = await ingested(log(properties));
    expect(await db.all('SELECT name, value FROM spark_properties ORDER BY name')).toEqual(expected);
    db.close();
  }
});
