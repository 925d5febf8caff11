;; Decoders of raw LZ4 blocks (the payload of each lz4-java block), raw snappy blocks (snappy-java's) and LZF
;; chunks (compress-lzf's), and the XXH32 checksum lz4-java puts on each block, compiled into blocks-wasm.ts by
;; `npm run wasm`. They decode into caller-owned
;; memory, so a stream's blocks need no allocation each (the lz4-napi and snappy packages they replaced
;; returned a fresh buffer per 32 KiB block, and collecting those cost more than decoding them; the LZF one
;; replaced a JavaScript loop 3x slower).
;;
;; Short runs are moved with 16-byte loads and stores ("wild copies"): they read and write up to 31 bytes past
;; the run, so the caller leaves 32 spare bytes after its input and output areas. Every length and offset is
;; checked against the block's bounds before it is used: corrupt input gives -1, never a write outside the
;; output area (but for that spare tail).
(module
  (memory (export "memory") 1)

  ;; Adds LZ4's length extension bytes (255 means another byte follows) to $len, reading from $src.
  ;; Returns the new length, or -1 if the input ends first; the caller moves $src past the bytes read.
  (func $extend (param $src i32) (param $srcEnd i32) (param $len i32) (result i32 i32)
    (local $b i32)
    (loop $more
      (if (i32.ge_u (local.get $src) (local.get $srcEnd)) (then (return (i32.const -1) (local.get $src))))
      (local.set $b (i32.load8_u (local.get $src)))
      (local.set $src (i32.add (local.get $src) (i32.const 1)))
      (local.set $len (i32.add (local.get $len) (local.get $b)))
      (br_if $more (i32.eq (local.get $b) (i32.const 255))))
    (local.get $len) (local.get $src))

  ;; Copies `len` bytes from $from to $dst, where $from is before $dst and the two may overlap: then the last
  ;; (dst - from) bytes repeat, as LZ77 formats mean. Returns the end of the copy. The decoders move the most
  ;; common copies, up to 32 bytes from at least 16 back, themselves with two 16-byte moves (the second reads
  ;; what the first may have written, as a repeat 16 to 31 bytes back means): calling this for them cost a
  ;; sixth of the decoding time of each format (1 GB log: lz4 0.29 s against 0.24 s, snappy 0.42 against 0.34,
  ;; LZF 0.41 against 0.31).
  (func $repeat (param $dst i32) (param $from i32) (param $len i32) (result i32)
    (local $step i32)
    ;; Copy in steps that never overlap their source; each step doubles what has been repeated.
    (loop $copy
      (local.set $step (i32.sub (local.get $dst) (local.get $from)))
      (if (i32.gt_u (local.get $step) (local.get $len)) (then (local.set $step (local.get $len))))
      (memory.copy (local.get $dst) (local.get $from) (local.get $step))
      (local.set $dst (i32.add (local.get $dst) (local.get $step)))
      (local.set $len (i32.sub (local.get $len) (local.get $step)))
      (br_if $copy (local.get $len)))
    (local.get $dst))

  ;; Decodes the LZ4 block [src, srcEnd) into [dst, dstEnd). Returns the end of the decoded bytes, or -1 when
  ;; the block is malformed or would not fit.
  (func (export "lz4") (param $src i32) (param $srcEnd i32) (param $dst i32) (param $dstEnd i32) (result i32)
    (local $dstStart i32) (local $token i32) (local $len i32) (local $offset i32)
    (local.set $dstStart (local.get $dst))
    (block $error
      (loop $sequence
        (br_if $error (i32.ge_u (local.get $src) (local.get $srcEnd)))
        (local.set $token (i32.load8_u (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        ;; Literals: copied from the input.
        (local.set $len (i32.shr_u (local.get $token) (i32.const 4)))
        (if (i32.eq (local.get $len) (i32.const 15))
          (then
            (call $extend (local.get $src) (local.get $srcEnd) (local.get $len))
            (local.set $src)
            (local.set $len)
            (br_if $error (i32.lt_s (local.get $len) (i32.const 0)))))
        (br_if $error (i32.gt_u (local.get $len) (i32.sub (local.get $srcEnd) (local.get $src))))
        (br_if $error (i32.gt_u (local.get $len) (i32.sub (local.get $dstEnd) (local.get $dst))))
        (if (i32.le_u (local.get $len) (i32.const 16))
          (then (v128.store (local.get $dst) (v128.load (local.get $src))))
          (else (memory.copy (local.get $dst) (local.get $src) (local.get $len))))
        (local.set $dst (i32.add (local.get $dst) (local.get $len)))
        (local.set $src (i32.add (local.get $src) (local.get $len)))
        ;; The last sequence of a block has literals only.
        (if (i32.eq (local.get $src) (local.get $srcEnd)) (then (return (local.get $dst))))
        ;; Match: copied from the output already decoded, `offset` bytes back.
        (br_if $error (i32.lt_u (i32.sub (local.get $srcEnd) (local.get $src)) (i32.const 2)))
        (local.set $offset (i32.load16_u (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 2)))
        (br_if $error (i32.eqz (local.get $offset)))
        (br_if $error (i32.gt_u (local.get $offset) (i32.sub (local.get $dst) (local.get $dstStart))))
        (local.set $len (i32.and (local.get $token) (i32.const 15)))
        (if (i32.eq (local.get $len) (i32.const 15))
          (then
            (call $extend (local.get $src) (local.get $srcEnd) (local.get $len))
            (local.set $src)
            (local.set $len)
            (br_if $error (i32.lt_s (local.get $len) (i32.const 0)))))
        (local.set $len (i32.add (local.get $len) (i32.const 4)))
        (br_if $error (i32.gt_u (local.get $len) (i32.sub (local.get $dstEnd) (local.get $dst))))
        ;; A short match far back is moved here (see $repeat).
        (if (i32.and (i32.le_u (local.get $len) (i32.const 32)) (i32.ge_u (local.get $offset) (i32.const 16)))
          (then
            (v128.store (local.get $dst) (v128.load (i32.sub (local.get $dst) (local.get $offset))))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (i32.sub (local.get $dst) (local.get $offset))))
            (local.set $dst (i32.add (local.get $dst) (local.get $len))))
          (else (local.set $dst (call $repeat (local.get $dst) (i32.sub (local.get $dst) (local.get $offset)) (local.get $len)))))
        (br $sequence)))
    (i32.const -1))

  ;; Decodes the LZF chunk [src, srcEnd) into [dst, dstEnd) (liblzf's format: a control byte below 32 starts a
  ;; run of ctrl + 1 literal bytes; otherwise it is a back-reference of (ctrl >> 5) + 2 bytes, 7 meaning "add
  ;; the next byte", at distance ((ctrl & 31) << 8) + next byte + 1). Returns the end of the decoded bytes, or
  ;; -1 when the chunk is malformed or would not fit.
  (func (export "lzf") (param $src i32) (param $srcEnd i32) (param $dst i32) (param $dstEnd i32) (result i32)
    (local $dstStart i32) (local $ctrl i32) (local $len i32) (local $distance i32)
    (local.set $dstStart (local.get $dst))
    (block $error
      (loop $next
        (if (i32.ge_u (local.get $src) (local.get $srcEnd)) (then (return (local.get $dst))))
        (local.set $ctrl (i32.load8_u (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (if (i32.lt_u (local.get $ctrl) (i32.const 32))
          (then
            ;; Literals: at most 32, moved with two wild 16-byte copies.
            (local.set $len (i32.add (local.get $ctrl) (i32.const 1)))
            (br_if $error (i32.gt_u (local.get $len) (i32.sub (local.get $srcEnd) (local.get $src))))
            (br_if $error (i32.gt_u (local.get $len) (i32.sub (local.get $dstEnd) (local.get $dst))))
            (v128.store (local.get $dst) (v128.load (local.get $src)))
            (if (i32.gt_u (local.get $len) (i32.const 16))
              (then (v128.store offset=16 (local.get $dst) (v128.load offset=16 (local.get $src)))))
            (local.set $dst (i32.add (local.get $dst) (local.get $len)))
            (local.set $src (i32.add (local.get $src) (local.get $len)))
            (br $next)))
        (local.set $len (i32.shr_u (local.get $ctrl) (i32.const 5)))
        (if (i32.eq (local.get $len) (i32.const 7))
          (then
            (br_if $error (i32.ge_u (local.get $src) (local.get $srcEnd)))
            (local.set $len (i32.add (local.get $len) (i32.load8_u (local.get $src))))
            (local.set $src (i32.add (local.get $src) (i32.const 1)))))
        (local.set $len (i32.add (local.get $len) (i32.const 2)))
        (br_if $error (i32.ge_u (local.get $src) (local.get $srcEnd)))
        (local.set $distance
          (i32.add (i32.or (i32.shl (i32.and (local.get $ctrl) (i32.const 31)) (i32.const 8)) (i32.load8_u (local.get $src))) (i32.const 1)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (br_if $error (i32.gt_u (local.get $distance) (i32.sub (local.get $dst) (local.get $dstStart))))
        (br_if $error (i32.gt_u (local.get $len) (i32.sub (local.get $dstEnd) (local.get $dst))))
        ;; A short back-reference far back is moved here (see $repeat).
        (if (i32.and (i32.le_u (local.get $len) (i32.const 32)) (i32.ge_u (local.get $distance) (i32.const 16)))
          (then
            (v128.store (local.get $dst) (v128.load (i32.sub (local.get $dst) (local.get $distance))))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (i32.sub (local.get $dst) (local.get $distance))))
            (local.set $dst (i32.add (local.get $dst) (local.get $len))))
          (else (local.set $dst (call $repeat (local.get $dst) (i32.sub (local.get $dst) (local.get $distance)) (local.get $len)))))
        (br $next)))
    (i32.const -1))

  ;; Decodes the elements of a snappy block [src, srcEnd) (after its length preamble, which the caller reads)
  ;; into [dst, dstEnd). A tag's low 2 bits give its kind: 0 literal (length - 1 in the upper 6 bits, or in the
  ;; 1-4 bytes after the tag when those say 60-63), 1 copy of 4-11 bytes at an 11-bit offset, 2 and 3 copies of
  ;; 1-64 bytes at a 16- or 32-bit offset. Returns the end of the decoded bytes, or -1 when the block is
  ;; malformed or would not fit.
  (func (export "snappy") (param $src i32) (param $srcEnd i32) (param $dst i32) (param $dstEnd i32) (result i32)
    (local $dstStart i32) (local $tag i32) (local $kind i32) (local $len i32) (local $n i32) (local $offset i32)
    (local.set $dstStart (local.get $dst))
    (block $error
      (loop $next
        (if (i32.ge_u (local.get $src) (local.get $srcEnd)) (then (return (local.get $dst))))
        (local.set $tag (i32.load8_u (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (local.set $kind (i32.and (local.get $tag) (i32.const 3)))
        (if (i32.eqz (local.get $kind))
          (then
            (local.set $len (i32.shr_u (local.get $tag) (i32.const 2)))
            (if (i32.ge_u (local.get $len) (i32.const 60))
              (then
                ;; The length (minus one) is in the next 1-4 bytes, little-endian.
                (local.set $n (i32.sub (local.get $len) (i32.const 59)))
                (br_if $error (i32.gt_u (local.get $n) (i32.sub (local.get $srcEnd) (local.get $src))))
                (local.set $len
                  (i32.and (i32.load (local.get $src)) (i32.shr_u (i32.const -1) (i32.sub (i32.const 32) (i32.shl (local.get $n) (i32.const 3))))))
                (local.set $src (i32.add (local.get $src) (local.get $n)))))
            ;; len + 1 bytes follow: compared as len < room, so a length of 2^32 - 1 cannot wrap around.
            (br_if $error (i32.ge_u (local.get $len) (i32.sub (local.get $srcEnd) (local.get $src))))
            (br_if $error (i32.ge_u (local.get $len) (i32.sub (local.get $dstEnd) (local.get $dst))))
            (local.set $len (i32.add (local.get $len) (i32.const 1)))
            (if (i32.le_u (local.get $len) (i32.const 16))
              (then (v128.store (local.get $dst) (v128.load (local.get $src))))
              (else (memory.copy (local.get $dst) (local.get $src) (local.get $len))))
            (local.set $dst (i32.add (local.get $dst) (local.get $len)))
            (local.set $src (i32.add (local.get $src) (local.get $len)))
            (br $next)))
        (if (i32.eq (local.get $kind) (i32.const 1))
          (then
            (br_if $error (i32.ge_u (local.get $src) (local.get $srcEnd)))
            (local.set $len (i32.add (i32.and (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 7)) (i32.const 4)))
            (local.set $offset (i32.or (i32.shl (i32.shr_u (local.get $tag) (i32.const 5)) (i32.const 8)) (i32.load8_u (local.get $src))))
            (local.set $src (i32.add (local.get $src) (i32.const 1))))
          (else
            (local.set $len (i32.add (i32.shr_u (local.get $tag) (i32.const 2)) (i32.const 1)))
            (if (i32.eq (local.get $kind) (i32.const 2))
              (then
                (br_if $error (i32.lt_u (i32.sub (local.get $srcEnd) (local.get $src)) (i32.const 2)))
                (local.set $offset (i32.load16_u (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 2))))
              (else
                (br_if $error (i32.lt_u (i32.sub (local.get $srcEnd) (local.get $src)) (i32.const 4)))
                (local.set $offset (i32.load (local.get $src)))
                (local.set $src (i32.add (local.get $src) (i32.const 4)))))))
        (br_if $error (i32.eqz (local.get $offset)))
        (br_if $error (i32.gt_u (local.get $offset) (i32.sub (local.get $dst) (local.get $dstStart))))
        (br_if $error (i32.gt_u (local.get $len) (i32.sub (local.get $dstEnd) (local.get $dst))))
        ;; A short copy far back is moved here (see $repeat).
        (if (i32.and (i32.le_u (local.get $len) (i32.const 32)) (i32.ge_u (local.get $offset) (i32.const 16)))
          (then
            (v128.store (local.get $dst) (v128.load (i32.sub (local.get $dst) (local.get $offset))))
            (v128.store offset=16 (local.get $dst) (v128.load offset=16 (i32.sub (local.get $dst) (local.get $offset))))
            (local.set $dst (i32.add (local.get $dst) (local.get $len))))
          (else (local.set $dst (call $repeat (local.get $dst) (i32.sub (local.get $dst) (local.get $offset)) (local.get $len)))))
        (br $next)))
    (i32.const -1))
  ;; XXH32 of [src, src + len) with $seed (the xxHash specification), computed where the block was decoded:
  ;; xxhash-wasm, which it replaced, copied every block into its own memory first (decoding a 1 GB lz4 log and
  ;; counting its lines took 0.81-1.02 s with it, 0.65-0.82 s with this). The four accumulators of a 16-byte
  ;; stripe are the four lanes of one vector.
  (func $xxh32 (export "xxh32") (param $src i32) (param $len i32) (param $seed i32) (result i32)
    (local $acc v128)
    (if (i32.lt_u (local.get $len) (i32.const 16))
      (then (return (call $digest (v128.const i64x2 0 0) (local.get $src) (local.get $len) (local.get $seed)))))
    (call $stripes (call $firstAcc (local.get $seed)) (local.get $src) (i32.add (local.get $src) (local.get $len)))
    (local.set $src)
    (local.set $acc)
    (call $digest (local.get $acc) (local.get $src) (local.get $len) (local.get $seed)))

  ;; The XXH32s of two blocks, [a, a + lenA) and [b, b + lenB), with $seed: while both have stripes left they
  ;; go through one loop, as each round waits on the one before it (a multiply's latency) and the two chains
  ;; do not wait on each other (lz4's checksums of a 1 GB log: 0.14 s one block at a time). The round is written
  ;; out for each chain, as in $stripes: called per stripe it took the pairing's gain (5.7 GB/s against 14-15).
  (func (export "xxh32x2") (param $a i32) (param $lenA i32) (param $b i32) (param $lenB i32) (param $seed i32) (result i32 i32)
    (local $endA i32) (local $endB i32) (local $accA v128) (local $accB v128)
    (if (i32.or (i32.lt_u (local.get $lenA) (i32.const 16)) (i32.lt_u (local.get $lenB) (i32.const 16)))
      (then (return
        (call $xxh32 (local.get $a) (local.get $lenA) (local.get $seed))
        (call $xxh32 (local.get $b) (local.get $lenB) (local.get $seed)))))
    (local.set $endA (i32.add (local.get $a) (local.get $lenA)))
    (local.set $endB (i32.add (local.get $b) (local.get $lenB)))
    (local.set $accA (call $firstAcc (local.get $seed)))
    (local.set $accB (local.get $accA))
    (loop $stripe
      (local.set $accA (i32x4.add (local.get $accA) (i32x4.mul (v128.load (local.get $a)) (v128.const i32x4 0x85ebca77 0x85ebca77 0x85ebca77 0x85ebca77))))
      (local.set $accB (i32x4.add (local.get $accB) (i32x4.mul (v128.load (local.get $b)) (v128.const i32x4 0x85ebca77 0x85ebca77 0x85ebca77 0x85ebca77))))
      (local.set $accA (v128.or (i32x4.shl (local.get $accA) (i32.const 13)) (i32x4.shr_u (local.get $accA) (i32.const 19))))
      (local.set $accB (v128.or (i32x4.shl (local.get $accB) (i32.const 13)) (i32x4.shr_u (local.get $accB) (i32.const 19))))
      (local.set $accA (i32x4.mul (local.get $accA) (v128.const i32x4 0x9e3779b1 0x9e3779b1 0x9e3779b1 0x9e3779b1)))
      (local.set $accB (i32x4.mul (local.get $accB) (v128.const i32x4 0x9e3779b1 0x9e3779b1 0x9e3779b1 0x9e3779b1)))
      (local.set $a (i32.add (local.get $a) (i32.const 16)))
      (local.set $b (i32.add (local.get $b) (i32.const 16)))
      (br_if $stripe (i32.and
        (i32.le_u (i32.add (local.get $a) (i32.const 16)) (local.get $endA))
        (i32.le_u (i32.add (local.get $b) (i32.const 16)) (local.get $endB)))))
    (call $stripes (local.get $accA) (local.get $a) (local.get $endA))
    (local.set $a)
    (local.set $accA)
    (call $stripes (local.get $accB) (local.get $b) (local.get $endB))
    (local.set $b)
    (local.set $accB)
    (call $digest (local.get $accA) (local.get $a) (local.get $lenA) (local.get $seed))
    (call $digest (local.get $accB) (local.get $b) (local.get $lenB) (local.get $seed)))

  ;; The four accumulators before the first stripe: seed + P1 + P2, seed + P2, seed, seed - P1.
  (func $firstAcc (param $seed i32) (result v128)
    (i32x4.add (i32x4.splat (local.get $seed)) (v128.const i32x4 0x24234428 0x85ebca77 0 0x61c8864f)))

  ;; The whole stripes from $src up to $end into $acc; returns the accumulators and where the stripes ended.
  (func $stripes (param $acc v128) (param $src i32) (param $end i32) (result v128 i32)
    (block $done
      (loop $stripe
        (br_if $done (i32.gt_u (i32.add (local.get $src) (i32.const 16)) (local.get $end)))
        (local.set $acc (i32x4.add (local.get $acc) (i32x4.mul (v128.load (local.get $src)) (v128.const i32x4 0x85ebca77 0x85ebca77 0x85ebca77 0x85ebca77))))
        (local.set $acc (v128.or (i32x4.shl (local.get $acc) (i32.const 13)) (i32x4.shr_u (local.get $acc) (i32.const 19))))
        (local.set $acc (i32x4.mul (local.get $acc) (v128.const i32x4 0x9e3779b1 0x9e3779b1 0x9e3779b1 0x9e3779b1)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (br $stripe)))
    (local.get $acc)
    (local.get $src))

  ;; The hash of a block of $len bytes from the accumulators ($len >= 16: its stripes are in them) and its
  ;; bytes after the last stripe, [$src, start + $len).
  (func $digest (param $acc v128) (param $src i32) (param $len i32) (param $seed i32) (result i32)
    (local $end i32) (local $h i32)
    (local.set $end (i32.add (local.get $src) (i32.and (local.get $len) (i32.const 15))))
    (if (i32.ge_u (local.get $len) (i32.const 16))
      (then
        (local.set $h (i32.add
          (i32.add (i32.rotl (i32x4.extract_lane 0 (local.get $acc)) (i32.const 1)) (i32.rotl (i32x4.extract_lane 1 (local.get $acc)) (i32.const 7)))
          (i32.add (i32.rotl (i32x4.extract_lane 2 (local.get $acc)) (i32.const 12)) (i32.rotl (i32x4.extract_lane 3 (local.get $acc)) (i32.const 18))))))
      (else (local.set $h (i32.add (local.get $seed) (i32.const 0x165667b1)))))
    (local.set $h (i32.add (local.get $h) (local.get $len)))
    (block $wordsDone
      (loop $word
        (br_if $wordsDone (i32.gt_u (i32.add (local.get $src) (i32.const 4)) (local.get $end)))
        (local.set $h (i32.mul (i32.rotl (i32.add (local.get $h) (i32.mul (i32.load (local.get $src)) (i32.const 0xc2b2ae3d))) (i32.const 17)) (i32.const 0x27d4eb2f)))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (br $word)))
    (block $bytesDone
      (loop $byte
        (br_if $bytesDone (i32.ge_u (local.get $src) (local.get $end)))
        (local.set $h (i32.mul (i32.rotl (i32.add (local.get $h) (i32.mul (i32.load8_u (local.get $src)) (i32.const 0x165667b1))) (i32.const 11)) (i32.const 0x9e3779b1)))
        (local.set $src (i32.add (local.get $src) (i32.const 1)))
        (br $byte)))
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))) (i32.const 0x85ebca77)))
    (local.set $h (i32.mul (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))) (i32.const 0xc2b2ae3d)))
    (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))))
)