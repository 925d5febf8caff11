import { expect, test } from 'vitest';
import { type AppInfo, applyAppEvent } from '../../src/events/app-events.js';
import { REDACTED, redactProperty } from '../../src/events/redact.js';

test("secrets are redacted like Spark's default spark.redaction.regex, by name or by value", () => {
  expect(redactProperty('spark.hadoop.fs.s3a.secret.key', 'abc')).toBe(REDACTED);
  expect(redactProperty('spark.ssl.keyStorePassword', 'x')).toBe(REDACTED);
  expect(redactProperty('spark.some.TOKEN', 'x')).toBe(REDACTED);
  expect(redactProperty('spark.hadoop.fs.s3a.access.key', 'AKIA')).toBe(REDACTED);
  expect(redactProperty('spark.driver.extraJavaOptions', '-Dpassword=hunter2')).toBe(REDACTED);
  expect(redactProperty('spark.executor.memory', '4g')).toBe('4g');
  // `access[.]key`: a literal dot, so "accesskey" alone is not a secret name.
  expect(redactProperty('spark.accesskeyring.size', '3')).toBe('3');
});

test('properties written as an object or as [name, value] pairs are read and redacted', () => {
  const fromObject: AppInfo = {};
  applyAppEvent(fromObject, 'SparkListenerEnvironmentUpdate', { 'Spark Properties': { 'spark.app.name': 'etl', 'spark.my.password': 'p' } });
  const fromPairs: AppInfo = {};
  applyAppEvent(fromPairs, 'SparkListenerEnvironmentUpdate', { 'Spark Properties': [['spark.app.name', 'etl'], ['spark.my.password', 'p']] });
  expect(fromObject.properties).toEqual([['spark.app.name', 'etl'], ['spark.my.password', REDACTED]]);
  expect(fromPairs.properties).toEqual(fromObject.properties);
});
