/** The bytes each framing starts with; shared by detection and by the decoders' own checks. */
export const MAGIC = {
  zstd: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]),
  lz4: Buffer.from('LZ4Block', 'latin1'),
  snappy: Buffer.from('\x82SNAPPY\x00', 'latin1'),
  lzf: Buffer.from('ZV', 'latin1'),
  gzip: Buffer.from([0x1f, 0x8b]),
} as const;

/**
 * How bytes read where a magic should start compare with it. A read shorter than the magic that agrees so far
 * is `cut`: the stream ended there, which is truncation, not a different format.
 */
export function compareMagic(bytes: Buffer, magic: Buffer): 'match' | 'cut' | 'mismatch' {
  const n = Math.min(bytes.length, magic.length);
  if (!bytes.subarray(0, n).equals(magic.subarray(0, n))) return 'mismatch';
  return n === magic.length ? 'match' : 'cut';
}
