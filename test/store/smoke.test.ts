import { expect, test } from 'vitest';
import { corpusPath } from '../corpus.js';
import { ingested } from '../ingested.js';

test('udf_func_eventlog', async () => {
  const db = await ingested(corpusPath('rapids/spark-events-qualification/udf_func_eventlog'));
  expect(await db.all('SELECT count(*) AS n FROM tasks')).toEqual([{ n: 54 }]);
});
