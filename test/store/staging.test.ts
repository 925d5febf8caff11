import { readFileSync } from 'node:fs';
import { expect, onTestFinished, test } from 'vitest';
import { Staging } from '../../src/store/staging.js';

test('staged lines are the given ranges of their chunk, prefixed, whichever chunk the line before came from', async () => {
  const staging = new Staging();
  // Two decoded chunks, lines taken from them in turn (a line split across chunks is joined into a third one).
  const first = Buffer.from('{"Event":"A","x":1,"cut":[1,2,3],"y":2}\n{"Event":"A","z":3}\n');
  const second = Buffer.from('{"Event":"A","w":4}\n');
  const keep = (line: Buffer, text: string): number[] => {
    const start = line.indexOf(text);
    return [start, start + Buffer.byteLength(text)];
  };
  const cut = first.indexOf(',"cut"');
  onTestFinished(() => staging.remove());
  staging.addLine('A', 1, 10, first, [0, cut, first.indexOf(',"y"'), first.indexOf('\n')]);
  staging.addLine('A', 2, 1, second, keep(second, '{"Event":"A","w":4}'));
  staging.addLine('A', 1, 11, first, keep(first, '{"Event":"A","z":3}'));
  staging.addLine('A', 12, 123456789, second, keep(second, '{"Event":"A","w":4}'));
  const file = (await staging.take('A'))!;
  expect(readFileSync(file.path, 'utf8')).toBe(
    [
      '{"_s":1,"_l":10,"Event":"A","x":1,"y":2}',
      '{"_s":2,"_l":1,"Event":"A","w":4}',
      '{"_s":1,"_l":11,"Event":"A","z":3}',
      '{"_s":12,"_l":123456789,"Event":"A","w":4}',
      '',
    ].join('\n'),
  );
  expect({ lines: file.lines, bytes: file.bytes, perSlot: [...file.linesPerSlot] }).toEqual({
    lines: 4,
    bytes: readFileSync(file.path).length,
    perSlot: [[1, 2], [2, 1], [12, 1]],
  });
});
