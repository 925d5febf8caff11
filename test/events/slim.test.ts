import { beforeAll, expect, test } from 'vitest';
import { slimTaskEnd } from '../../src/events/slim.js';
import { discoverLogs, type LogSource } from '../../src/source/discover.js';
import { corpusDir, describeCorpus } from '../corpus.js';
import { rawText } from '../raw-counts.js';

type Ev = Record<string, any>;

/**
 * What slimming must leave of a task end: no Task Executor Metrics, no push-based shuffle counters, and Task
 * Info's Accumulables emptied where Spark's layout (Accumulables last in Task Info, another "Task ..." key next)
 * is recognised; everything else as it was.
 */
function expectedSlim(event: Ev, line: string): Ev {
  const kept = Object.entries(event).filter(([k]) => k !== 'Task Executor Metrics');
  const expected: Ev = Object.fromEntries(kept);
  if (event['Task Info'] && /,"Accumulables":\[.*?\]\},"Task /.test(line)) expected['Task Info'] = { ...event['Task Info'], Accumulables: [] };
  const shuffleRead = event['Task Metrics']?.['Shuffle Read Metrics'];
  if (shuffleRead && 'Push Based Shuffle' in shuffleRead) {
    const { 'Push Based Shuffle': _, ...rest } = shuffleRead;
    expected['Task Metrics'] = { ...event['Task Metrics'], 'Shuffle Read Metrics': rest };
  }
  return expected;
}

function slimmed(line: Buffer): string {
  const ranges: number[] = [];
  slimTaskEnd(line, 0, line.length, ranges);
  const pieces: Buffer[] = [];
  for (let i = 0; i < ranges.length; i += 2) pieces.push(line.subarray(ranges[i]!, ranges[i + 1]!));
  return Buffer.concat(pieces).toString('utf8');
}

test('a Spark 3.4 task end loses exactly the parts no table reads', () => {
  const line = Buffer.from(
    '{"Event":"SparkListenerTaskEnd","Stage ID":3,"Task Info":{"Task ID":7,"Finish Time":5,"Killed":false,' +
      '"Accumulables":[{"ID":1,"Name":"x","Update":"2"}]},"Task Executor Metrics":{"JVMHeapMemory":1},' +
      '"Task Metrics":{"Shuffle Read Metrics":{"Fetch Wait Time":9,"Total Records Read":3,"Push Based Shuffle":{"Corrupt Merged Block Chunks":0}},' +
      '"Output Metrics":{"Bytes Written":1},"Updated Blocks":[]}}',
  );
  expect(slimmed(line)).toBe(
    '{"Event":"SparkListenerTaskEnd","Stage ID":3,"Task Info":{"Task ID":7,"Finish Time":5,"Killed":false,"Accumulables":[]},' +
      '"Task Metrics":{"Shuffle Read Metrics":{"Fetch Wait Time":9,"Total Records Read":3},"Output Metrics":{"Bytes Written":1},"Updated Blocks":[]}}',
  );
});

test('a task end without Spark\'s layout around Accumulables keeps them', () => {
  const line = Buffer.from('{"Event":"SparkListenerTaskEnd","Task Info":{"Task ID":7,"Accumulables":[{"ID":1}]}}');
  expect(slimmed(line)).toBe(line.toString());
});

describeCorpus('task-end lines, slimmed', () => {
  let sources: LogSource[] = [];
  beforeAll(async () => {
    sources = (await discoverLogs([corpusDir()!])).sources.filter((s) => !/\.(lz4|lzf|snappy)(\.inprogress)?$/.test(s.logPath) && !s.logPath.endsWith('.zstd.inprogress'));
  });

  test('every task end of every corpus log is valid JSON equal to the original minus exactly the cut parts', () => {
    let checked = 0;
    for (const source of sources) {
      const text = Buffer.from(rawText(source.parts.map((p) => p.path)));
      for (let start = 0, end = text.indexOf(10); start < text.length; start = end + 1, end = text.indexOf(10, start)) {
        if (end === -1) end = text.length;
        if (text.indexOf('"SparkListenerTaskEnd"', start) !== start + 9) continue;
        let original: Ev;
        try {
          original = JSON.parse(text.toString('utf8', start, end));
        } catch {
          continue; // a bad or cut line: counted as such elsewhere
        }
        const line = text.subarray(start, end);
        expect(JSON.parse(slimmed(line)), `${source.logPath}: task ${original['Task Info']?.['Task ID']}`).toEqual(expectedSlim(original, line.toString()));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(30_000);
  });
});
