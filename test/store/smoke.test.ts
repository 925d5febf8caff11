import { expect, test } from 'vitest';
import { corpusPath, describeCorpus } from '../corpus.js';
import { ingested } from '../ingested.js';

describeCorpus('a first corpus log', () => {
  test('udf_func_eventlog', async () => {
    const db = await ingested(corpusPath('rapids/spark-events-qualification/udf_func_eventlog'));
    expect(await db.all('SELECT count(*) AS n FROM tasks')).toEqual([{ n: 54 }]);
  });
});
