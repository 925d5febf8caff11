import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

export const ingestErrors = defineTable({
  name: 'ingest_errors',
  doc: 'Lines sparkopt could not read (the rest of their log was ingested) and logs that ended early.',
  events: [],
  columns: {
    app_key: appKeyColumn,
    path: { type: 'VARCHAR', doc: 'File the line came from.' },
    line_no: { type: 'BIGINT', doc: 'Line number within `path` (each file of a rolling log counts from 1); NULL for file-level problems.' },
    kind: { type: 'VARCHAR', doc: '`bad_line` (not a JSON event), `cut_line` (last line cut short), `cut_stream` (compressed stream ended early), `missing_part` (a rolling log\'s part is not there; `path` is its folder).' },
    reason: { type: 'VARCHAR', doc: 'What is wrong, short.' },
    ingested_at: { type: 'TIMESTAMP', doc: 'When sparkopt read it.' },
  },
});
