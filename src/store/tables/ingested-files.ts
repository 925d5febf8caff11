import { defineTable } from '../spec.js';
import { appKeyColumn } from './app-key.js';

export const ingestedFiles = defineTable({
  name: 'ingested_files',
  doc: 'Every log file read, so that unchanged files are skipped next time. A rolling or Databricks log has one row per part.',
  events: [],
  columns: {
    path: { type: 'VARCHAR', doc: 'Absolute path of the file.' },
    app_key: appKeyColumn,
    log_path: { type: 'VARCHAR', doc: 'The log (file or rolling folder) the file is part of.' },
    part_index: { type: 'INTEGER', doc: 'Position of the file in its log (0 for single files).' },
    codec: { type: 'VARCHAR', doc: '`plain`, `zstd`, `lz4`, `snappy`, `lzf` or `gzip`.' },
    size_bytes: { type: 'BIGINT', unit: 'bytes', doc: 'File size when read.' },
    mtime: { type: 'TIMESTAMP', unit: 'epoch ms', doc: 'File modification time when read.' },
    fingerprint: { type: 'VARCHAR', doc: 'SHA-1 of the first 64 KiB: tells a replaced file from an unchanged one.' },
    decompressed_bytes: { type: 'BIGINT', unit: 'bytes', doc: 'Bytes after decompression.' },
    complete: { type: 'BOOLEAN', doc: 'The file was read to a clean end (false: cut stream or cut last line).' },
    incomplete_reason: { type: 'VARCHAR', doc: 'Why the file is incomplete.' },
    ingested_at: { type: 'TIMESTAMP', doc: 'When sparkopt read it.' },
  },
});
