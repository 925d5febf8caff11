// Baseline "floor": decompress with sparkopt's own decoders and count lines, nothing else. No ingest can be
// faster than this; the ratio floor / sparkopt is what parsing and storing cost on top of reading.
// Usage: node floor.js <file|folder>...   Prints {"files","bytes","lines"} as JSON.
import { decodeFile } from '../decode-file.js';
import { listFiles } from './list-files.js';

const NEWLINE = 0x0a;
let bytes = 0;
let lines = 0;
const files = listFiles(process.argv.slice(2));
for (const file of files) {
  for await (const chunk of decodeFile(file)) {
    bytes += chunk.length;
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
  }
}
process.stdout.write(JSON.stringify({ files: files.length, bytes, lines }) + '\n');
