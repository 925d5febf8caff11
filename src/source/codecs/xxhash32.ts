// Hand-written: lz4-java checksums each block with XXH32 and no installed package exposes it.
const PRIME1 = 0x9e3779b1;
const PRIME2 = 0x85ebca77;
const PRIME3 = 0xc2b2ae3d;
const PRIME4 = 0x27d4eb2f;
const PRIME5 = 0x165667b1;

const rotl = (x: number, r: number) => (x << r) | (x >>> (32 - r));
const round = (acc: number, lane: number) => Math.imul(rotl((acc + Math.imul(lane, PRIME2)) | 0, 13), PRIME1);

/** XXH32 of `data` (the reference algorithm), as an unsigned 32-bit number. */
export function xxhash32(data: Uint8Array, seed: number): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const length = data.length;
  let p = 0;
  let h: number;
  if (length >= 16) {
    let v1 = (seed + PRIME1 + PRIME2) | 0;
    let v2 = (seed + PRIME2) | 0;
    let v3 = seed | 0;
    let v4 = (seed - PRIME1) | 0;
    for (const limit = length - 16; p <= limit; p += 16) {
      v1 = round(v1, view.getInt32(p, true));
      v2 = round(v2, view.getInt32(p + 4, true));
      v3 = round(v3, view.getInt32(p + 8, true));
      v4 = round(v4, view.getInt32(p + 12, true));
    }
    h = (rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18)) | 0;
  } else {
    h = (seed + PRIME5) | 0;
  }
  h = (h + length) | 0;
  for (; p + 4 <= length; p += 4) {
    h = Math.imul(rotl((h + Math.imul(view.getInt32(p, true), PRIME3)) | 0, 17), PRIME4);
  }
  for (; p < length; p++) {
    h = Math.imul(rotl((h + Math.imul(data[p]!, PRIME5)) | 0, 11), PRIME1);
  }
  h = Math.imul(h ^ (h >>> 15), PRIME2);
  h = Math.imul(h ^ (h >>> 13), PRIME3);
  return (h ^ (h >>> 16)) >>> 0;
}
