import path from 'node:path';
import { MAGIC, compareMagic } from './magic.js';

export type Codec = 'plain' | 'zstd' | 'lz4' | 'snappy' | 'lzf' | 'gzip';

/** How many leading bytes detectCodec needs to recognise every magic. */
export const BYTES_FOR_DETECTION = 8;

const CODEC_BY_EXTENSION = new Map<string, Codec>([
  ['.zstd', 'zstd'],
  ['.zst', 'zstd'],
  ['.lz4', 'lz4'],
  ['.snappy', 'snappy'],
  ['.lzf', 'lzf'],
  ['.gz', 'gzip'],
]);

const LZF_CHUNK_TYPES = new Set([0, 1]);

/**
 * Magic bytes win, since users rename and recompress logs; without magic the name decides, so a damaged `.lz4`
 * file is still decoded as lz4 and fails with an lz4 error instead of being read as text.
 */
export function detectCodec(fileName: string, firstBytes: Buffer): Codec {
  return codecFromMagic(firstBytes) ?? codecFromName(fileName) ?? 'plain';
}

/** The codec a Spark-style name announces: its last extension once `.inprogress` is dropped. */
export function codecFromName(fileName: string): Codec | undefined {
  const name = path.basename(fileName).replace(/\.inprogress$/, '');
  return CODEC_BY_EXTENSION.get(path.extname(name).toLowerCase());
}

/** A log's name without `.inprogress` and its codec extension: Spark names a log by its app id. */
export function logStem(fileName: string): string {
  const name = path.basename(fileName).replace(/\.inprogress$/, '');
  return codecFromName(name) ? name.slice(0, -path.extname(name).length) : name;
}

function codecFromMagic(bytes: Buffer): Codec | undefined {
  for (const codec of ['zstd', 'lz4', 'snappy', 'gzip'] as const) {
    if (compareMagic(bytes, MAGIC[codec]) === 'match') return codec;
  }
  // 'ZV' alone is too likely in other data: require a valid chunk type after it.
  if (compareMagic(bytes, MAGIC.lzf) === 'match' && LZF_CHUNK_TYPES.has(bytes[2] ?? -1)) return 'lzf';
  return undefined;
}
