import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Slot } from './batch.js';

/** A line that could not be read, or a log that ended early; stored in ingest_errors. */
export interface IngestIssue {
  path: string;
  lineNo: number | null;
  kind: 'bad_line' | 'cut_line' | 'cut_stream' | 'missing_part';
  reason: string;
}

const PREFIX = /^\{"_s":(\d+),"_l":(\d+),/;

/**
 * Finds which app and which line of which file a staged line came from. Only called for lines DuckDB could not
 * read, which are rare: the staged file is scanned to that position.
 */
export async function locateStagedLine(file: string, pos: number, slots: readonly Slot[]): Promise<{ slot?: Slot; issue: IngestIssue }> {
  let n = 0;
  let text = '';
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    if (++n === pos) {
      text = line;
      break;
    }
  }
  const match = PREFIX.exec(text);
  const slot = match ? slots[Number(match[1]) - 1] : undefined;
  if (!slot) return { issue: { path: file, lineNo: null, kind: 'bad_line', reason: 'unreadable staged line' } };
  const globalLine = Number(match![2]);
  let part = 0;
  while (part + 1 < slot.partStartLines.length && slot.partStartLines[part + 1]! < globalLine) part++;
  const reason = isValidJson(`{${text.slice(match![0].length)}`) ? 'a field has an unexpected type' : 'invalid JSON';
  return { slot, issue: { path: slot.partPaths[part]!, lineNo: globalLine - slot.partStartLines[part]!, kind: 'bad_line', reason } };
}

export function isValidJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
