;; Reads task-end lines into columns of numbers without parsing JSON in general, compiled into row-buffer-wasm.ts
;; by `npm run wasm`. Spark writes the keys of an event in a fixed order, so a line is matched against a
;; template learned from an earlier line (row-template.ts): the bytes between values must be equal (compared
;; 8 at a time) and each value must parse as the template says. DuckDB's JSON reader, the part of an ingest it
;; replaces, spent 0.84-0.96 s on the 1 GB log's task lines; this reads them in 0.11-0.24 s.
;;
;; A template is a list of 12-byte ops (kind, a, b):
;;   0 LITERAL  a = address of the bytes, b = their length
;;   1 INTEGER  a = column, b = most digits taken (a longer number refuses the line)
;;   2 STRING   a = column: the string's id in the dictionary below
;;   3 SKIP_NUMBER, 4 SKIP_STRING: a value no column reads
;;   5 BOOLEAN  a = column (1 or 0)
;;   6 END
;; Columns are i64 arrays of `capacity` rows from `columns`, each with a validity bitmap of `capacity` bits from
;; `validity` (bit set: not NULL), as DuckDB lays out a vector: a value absent or null in a line is a clear bit.
;; A template fills the same columns in every line it matches, so a row records only its template's index (a
;; byte at `rowTemplates`) and `buildValidity` makes the bitmaps of many rows at once, from each template's
;; filled columns (bytes at `fills`, 64 per template; the caller builds the bitmaps of the rows so far before
;; it replaces a template): setting a bit per value cost a fifth of the matching.
;; Strings are interned: a hash table of `tableSlots` slots (hash, arena offset, length, id) over an arena of
;; string bytes, and by id (from 1) their arena offset and length at `order`; `stringCount` says how many there
;; are. A line whose string does not fit refuses.
;; The line must be followed by a byte that ends every loop here (the caller writes 0).
;;
;; `scan` reads whole decoded chunks: it frames lines, skips task starts, slims task ends as slim.ts does into
;; the line area and matches them, so Node's main thread handles only the other lines (on the benchmark's 1 GB
;; log, a hundredth of its lines and 3 % of its bytes), one call each, instead of a search, a copy and a call
;; per task end.
;;
;; Bytes 0-255 are this module's: the byte strings scan looks for, its results and the installed templates.
(module
  (memory (export "memory") 1)
  (data (i32.const 0) "{\"Event\":\"SparkListenerTaskEnd\"")
  (data (i32.const 32) "\"Accumulables\":[")
  (data (i32.const 48) "]},\"Task ")
  (data (i32.const 64) ",\"Task Executor Metrics\":{")
  (data (i32.const 96) ",\"Push Based Shuffle\":{")
  (data (i32.const 200) "{\"Event\":\"SparkListenerTaskStart\"")
  ;; scan's results, i32s at 128: next position, the stopping line's start, end and number, the row count, the
  ;; slimmed bytes taken, the number of the last line taken or skipped, the number of task starts skipped.
  ;; Template op addresses, i32s at 160 (up to 8).
  (global $templateCount (mut i32) (i32.const 0))
  (global $last (mut i32) (i32.const 0))
  (global $lineAt (mut i32) (i32.const 0))
  (global $lineMax (mut i32) (i32.const 0))
  (global $cutFrom (mut i32) (i32.const 0))
  (global $rowTemplates (mut i32) (i32.const 0))
  (global $fills (mut i32) (i32.const 0))
  (global $columns (mut i32) (i32.const 0))
  (global $columnCount (mut i32) (i32.const 0))
  (global $validity (mut i32) (i32.const 0))
  (global $capacity (mut i32) (i32.const 0))
  (global $table (mut i32) (i32.const 0))
  (global $tableSlots (mut i32) (i32.const 0))
  (global $arena (mut i32) (i32.const 0))
  (global $arenaEnd (mut i32) (i32.const 0))
  (global $arenaUsed (mut i32) (i32.const 0))
  (global $strings (mut i32) (i32.const 0))
  (global $order (mut i32) (i32.const 0))

  (func (export "layout") (param $columns i32) (param $columnCount i32) (param $validity i32) (param $capacity i32) (param $table i32) (param $tableSlots i32) (param $arena i32) (param $arenaEnd i32) (param $order i32) (param $lineAt i32) (param $lineMax i32) (param $rowTemplates i32) (param $fills i32)
    (global.set $rowTemplates (local.get $rowTemplates))
    (global.set $fills (local.get $fills))
    (global.set $lineAt (local.get $lineAt))
    (global.set $lineMax (local.get $lineMax))
    (global.set $order (local.get $order))
    (global.set $columns (local.get $columns))
    (global.set $columnCount (local.get $columnCount))
    (global.set $validity (local.get $validity))
    (global.set $capacity (local.get $capacity))
    (global.set $table (local.get $table))
    (global.set $tableSlots (local.get $tableSlots))
    (global.set $arena (local.get $arena))
    (global.set $arenaEnd (local.get $arenaEnd))
    (call $clearStrings))

  (func $clearStrings (export "clearStrings")
    (memory.fill (global.get $table) (i32.const 0) (i32.shl (global.get $tableSlots) (i32.const 4)))
    (global.set $arenaUsed (global.get $arena))
    (global.set $strings (i32.const 0)))

  (func (export "stringCount") (result i32) (global.get $strings))

  ;; The validity bitmaps of rows $from..$rows of every column, from the templates the rows matched (those of
  ;; rows before $from are kept).
  (func (export "buildValidity") (param $from i32) (param $rows i32)
    (local $column i32) (local $row i32) (local $k i32) (local $byte i32) (local $eight i64) (local $out i32) (local $first i32)
    (loop $columns
      (local.set $out (i32.add (global.get $validity) (i32.mul (local.get $column) (i32.shr_u (global.get $capacity) (i32.const 3)))))
      (local.set $row (i32.and (local.get $from) (i32.const -8)))
      (local.set $first (i32.and (local.get $from) (i32.const 7)))
      (block $done (loop $bytes
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        (local.set $eight (i64.load (i32.add (global.get $rowTemplates) (local.get $row))))
        (if (i32.and (i32.and (i32.eqz (local.get $first)) (i32.le_u (i32.add (local.get $row) (i32.const 8)) (local.get $rows)))
              (i64.eq (local.get $eight) (i64.mul (i64.and (local.get $eight) (i64.const 0xff)) (i64.const 0x0101010101010101)))) (then
          ;; Eight rows of one template, the usual case: a byte at once.
          (local.set $byte (i32.mul (call $fills (i32.wrap_i64 (i64.and (local.get $eight) (i64.const 0xff))) (local.get $column)) (i32.const 0xff))))
        (else
          ;; The bits of rows before $from stay as they are.
          (local.set $byte (i32.and (i32.load8_u (i32.add (local.get $out) (i32.shr_u (local.get $row) (i32.const 3))))
            (i32.sub (i32.shl (i32.const 1) (local.get $first)) (i32.const 1))))
          (local.set $k (local.get $first))
          (block $last (loop $each
            (br_if $last (i32.or (i32.eq (local.get $k) (i32.const 8)) (i32.ge_u (i32.add (local.get $row) (local.get $k)) (local.get $rows))))
            (local.set $byte (i32.or (local.get $byte) (i32.shl
              (call $fills (i32.load8_u (i32.add (global.get $rowTemplates) (i32.add (local.get $row) (local.get $k)))) (local.get $column))
              (local.get $k))))
            (local.set $k (i32.add (local.get $k) (i32.const 1)))
            (br $each)))))
        (i32.store8 (i32.add (local.get $out) (i32.shr_u (local.get $row) (i32.const 3))) (local.get $byte))
        (local.set $row (i32.add (local.get $row) (i32.const 8)))
        (local.set $first (i32.const 0))
        (br $bytes)))
      (local.set $column (i32.add (local.get $column) (i32.const 1)))
      (br_if $columns (i32.lt_u (local.get $column) (global.get $columnCount)))))

  ;; 1 when template $template fills column $column, else 0.
  (func $fills (param $template i32) (param $column i32) (result i32)
    (i32.load8_u (i32.add (global.get $fills) (i32.add (i32.shl (local.get $template) (i32.const 6)) (local.get $column)))))

  ;; The id (from 1) of the string $start..$end, added if new; 0 when the dictionary is full.
  (func $intern (param $start i32) (param $end i32) (param $hash i32) (result i32)
    (local $mask i32) (local $slot i32) (local $entry i32) (local $len i32)
    (local.set $len (i32.sub (local.get $end) (local.get $start)))
    (local.set $mask (i32.sub (global.get $tableSlots) (i32.const 1)))
    (local.set $slot (i32.and (local.get $hash) (local.get $mask)))
    (loop $probe
      (local.set $entry (i32.add (global.get $table) (i32.shl (local.get $slot) (i32.const 4))))
      (if (i32.eqz (i32.load offset=12 (local.get $entry))) (then
        ;; A free slot: the string is new. The table stays at most half full, so probes end.
        (if (i32.ge_u (i32.shl (global.get $strings) (i32.const 1)) (global.get $tableSlots)) (then (return (i32.const 0))))
        (if (i32.gt_u (local.get $len) (i32.sub (global.get $arenaEnd) (global.get $arenaUsed))) (then (return (i32.const 0))))
        (memory.copy (global.get $arenaUsed) (local.get $start) (local.get $len))
        (global.set $strings (i32.add (global.get $strings) (i32.const 1)))
        (i32.store (local.get $entry) (local.get $hash))
        (i32.store offset=4 (local.get $entry) (global.get $arenaUsed))
        (i32.store offset=8 (local.get $entry) (local.get $len))
        (i32.store offset=12 (local.get $entry) (global.get $strings))
        (i32.store (i32.add (global.get $order) (i32.shl (global.get $strings) (i32.const 3))) (global.get $arenaUsed))
        (i32.store offset=4 (i32.add (global.get $order) (i32.shl (global.get $strings) (i32.const 3))) (local.get $len))
        (global.set $arenaUsed (i32.add (global.get $arenaUsed) (local.get $len)))
        (return (global.get $strings))))
      (if (i32.and (i32.eq (i32.load (local.get $entry)) (local.get $hash)) (i32.eq (i32.load offset=8 (local.get $entry)) (local.get $len))) (then
        (if (call $equal (i32.load offset=4 (local.get $entry)) (local.get $start) (local.get $len)) (then
          (return (i32.load offset=12 (local.get $entry)))))))
      (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (local.get $mask)))
      (br $probe))
    (i32.const 0))

  (func $equal (param $a i32) (param $b i32) (param $len i32) (result i32)
    (block $bytes (loop $words
      (br_if $bytes (i32.lt_u (local.get $len) (i32.const 8)))
      (if (i64.ne (i64.load (local.get $a)) (i64.load (local.get $b))) (then (return (i32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 8)))
      (local.set $b (i32.add (local.get $b) (i32.const 8)))
      (local.set $len (i32.sub (local.get $len) (i32.const 8)))
      (br $words)))
    (block $done (loop $each
      (br_if $done (i32.eqz (local.get $len)))
      (if (i32.ne (i32.load8_u (local.get $a)) (i32.load8_u (local.get $b))) (then (return (i32.const 0))))
      (local.set $a (i32.add (local.get $a) (i32.const 1)))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (local.set $len (i32.sub (local.get $len) (i32.const 1)))
      (br $each)))
    (i32.const 1))

  ;; Matches the line $p..$end against the template at $op and writes row $row (with $slot and $line in
  ;; columns 0 and 1). Returns 1, or 0 when the line is not of this template (the row is then undefined).
  (func $match (param $op i32) (param $p i32) (param $end i32) (param $row i32) (param $slot f64) (param $line f64) (result i32)
    (local $kind i32) (local $a i32) (local $b i32) (local $v i64) (local $c i32) (local $negative i32) (local $first i32) (local $start i32) (local $hash i32) (local $id i32)
    (local $rowAt i32) (local $columnBytes i32)
    ;; Column $a's value of this row is at $rowAt + $a * $columnBytes (written in place: a call per value cost
    ;; a tenth of the matching). buildValidity marks the values valid.
    (local.set $rowAt (i32.add (global.get $columns) (i32.shl (local.get $row) (i32.const 3))))
    (local.set $columnBytes (i32.shl (global.get $capacity) (i32.const 3)))
    (i64.store (local.get $rowAt) (i64.trunc_f64_u (local.get $slot)))
    (i64.store (i32.add (local.get $rowAt) (local.get $columnBytes)) (i64.trunc_f64_u (local.get $line)))
    (loop $next
      (local.set $kind (i32.load (local.get $op)))
      (local.set $a (i32.load offset=4 (local.get $op)))
      (local.set $b (i32.load offset=8 (local.get $op)))
      (local.set $op (i32.add (local.get $op) (i32.const 12)))
      (if (i32.eqz (local.get $kind)) (then
        (block $bytes (loop $words
          (br_if $bytes (i32.lt_u (local.get $b) (i32.const 8)))
          (if (i64.ne (i64.load (local.get $p)) (i64.load (local.get $a))) (then (return (i32.const 0))))
          (local.set $p (i32.add (local.get $p) (i32.const 8)))
          (local.set $a (i32.add (local.get $a) (i32.const 8)))
          (local.set $b (i32.sub (local.get $b) (i32.const 8)))
          (br $words)))
        ;; The last 1-7 bytes in one compare of 8, the bytes after them masked off (a literal is followed by
        ;; room in its template, a line by slack).
        (if (local.get $b) (then
          (if (i64.ne (i64.const 0) (i64.and (i64.xor (i64.load (local.get $p)) (i64.load (local.get $a)))
                (i64.sub (i64.shl (i64.const 1) (i64.extend_i32_u (i32.shl (local.get $b) (i32.const 3)))) (i64.const 1))))
            (then (return (i32.const 0))))
          (local.set $p (i32.add (local.get $p) (local.get $b)))))
        (br $next)))
      (if (i32.or (i32.eq (local.get $kind) (i32.const 1)) (i32.eq (local.get $kind) (i32.const 3))) (then
        ;; JSON's integers: -?(0|[1-9][0-9]*). A fraction or exponent fails the literal that follows.
        (local.set $negative (i32.eq (i32.load8_u (local.get $p)) (i32.const 0x2d)))
        (local.set $p (i32.add (local.get $p) (local.get $negative)))
        (local.set $first (local.get $p))
        (local.set $v (i64.const 0))
        (block $end (loop $digit
          (local.set $c (i32.sub (i32.load8_u (local.get $p)) (i32.const 0x30)))
          (br_if $end (i32.gt_u (local.get $c) (i32.const 9)))
          (local.set $v (i64.add (i64.mul (local.get $v) (i64.const 10)) (i64.extend_i32_u (local.get $c))))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $digit)))
        (local.set $c (i32.sub (local.get $p) (local.get $first)))
        (if (i32.eqz (local.get $c)) (then (return (i32.const 0))))
        (if (i32.and (i32.gt_u (local.get $c) (i32.const 1)) (i32.eq (i32.load8_u (local.get $first)) (i32.const 0x30))) (then (return (i32.const 0))))
        (if (i32.eq (local.get $kind) (i32.const 1)) (then
          (if (i32.gt_u (local.get $c) (local.get $b)) (then (return (i32.const 0))))
          (i64.store (i32.add (local.get $rowAt) (i32.mul (local.get $a) (local.get $columnBytes)))
            (select (i64.sub (i64.const 0) (local.get $v)) (local.get $v) (local.get $negative)))))
        (br $next)))
      (if (i32.or (i32.eq (local.get $kind) (i32.const 2)) (i32.eq (local.get $kind) (i32.const 4))) (then
        (if (i32.ne (i32.load8_u (local.get $p)) (i32.const 0x22)) (then (return (i32.const 0))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (local.set $start (local.get $p))
        (local.set $hash (i32.const 0x811c9dc5))
        ;; Plain ASCII only: an escape, a control character or a byte of UTF-8 refuses the line (DuckDB reads it).
        (block $close (loop $char
          (local.set $c (i32.load8_u (local.get $p)))
          (br_if $close (i32.eq (local.get $c) (i32.const 0x22)))
          (if (i32.or (i32.eq (local.get $c) (i32.const 0x5c)) (i32.or (i32.lt_u (local.get $c) (i32.const 0x20)) (i32.ge_u (local.get $c) (i32.const 0x80))))
            (then (return (i32.const 0))))
          (local.set $hash (i32.mul (i32.xor (local.get $hash) (local.get $c)) (i32.const 0x01000193)))
          (local.set $p (i32.add (local.get $p) (i32.const 1)))
          (br $char)))
        (if (i32.eq (local.get $kind) (i32.const 2)) (then
          (local.set $id (call $intern (local.get $start) (local.get $p) (local.get $hash)))
          (if (i32.eqz (local.get $id)) (then (return (i32.const 0))))
          (i64.store (i32.add (local.get $rowAt) (i32.mul (local.get $a) (local.get $columnBytes))) (i64.extend_i32_u (local.get $id)))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $next)))
      (if (i32.eq (local.get $kind) (i32.const 5)) (then
        (if (i32.eq (i32.load (local.get $p)) (i32.const 0x65757274)) (then ;; "true"
          (i64.store (i32.add (local.get $rowAt) (i32.mul (local.get $a) (local.get $columnBytes))) (i64.const 1))
          (local.set $p (i32.add (local.get $p) (i32.const 4)))
          (br $next)))
        (if (i32.and (i32.eq (i32.load (local.get $p)) (i32.const 0x736c6166)) (i32.eq (i32.load8_u offset=4 (local.get $p)) (i32.const 0x65))) (then ;; "false"
          (i64.store (i32.add (local.get $rowAt) (i32.mul (local.get $a) (local.get $columnBytes))) (i64.const 0))
          (local.set $p (i32.add (local.get $p) (i32.const 5)))
          (br $next)))
        (return (i32.const 0)))))
    ;; END
    (i32.eq (local.get $p) (local.get $end)))

  ;; Template $index is at $op now, and the one tried first. Notes the columns it fills: the slot, the line and
  ;; those of its INTEGER, STRING and BOOLEAN ops.
  (func (export "setTemplate") (param $index i32) (param $op i32)
    (local $kind i32) (local $fills i32)
    (i32.store (i32.add (i32.const 160) (i32.shl (local.get $index) (i32.const 2))) (local.get $op))
    (local.set $fills (i32.add (global.get $fills) (i32.shl (local.get $index) (i32.const 6))))
    (memory.fill (local.get $fills) (i32.const 0) (i32.const 64))
    (i32.store16 (local.get $fills) (i32.const 0x0101))
    (block $end (loop $ops
      (local.set $kind (i32.load (local.get $op)))
      (br_if $end (i32.eq (local.get $kind) (i32.const 6)))
      (if (i32.or (i32.or (i32.eq (local.get $kind) (i32.const 1)) (i32.eq (local.get $kind) (i32.const 2))) (i32.eq (local.get $kind) (i32.const 5)))
        (then (i32.store8 (i32.add (local.get $fills) (i32.load offset=4 (local.get $op))) (i32.const 1))))
      (local.set $op (i32.add (local.get $op) (i32.const 12)))
      (br $ops)))
    (if (i32.ge_u (local.get $index) (global.get $templateCount)) (then (global.set $templateCount (i32.add (local.get $index) (i32.const 1)))))
    (global.set $last (local.get $index)))

  ;; Matches the line against every template, the last one matched first; 1 when one took it (its index is
  ;; then the row's).
  (func $matchAny (export "matchAny") (param $p i32) (param $end i32) (param $row i32) (param $slot f64) (param $line f64) (result i32)
    (local $t i32)
    (if (i32.lt_u (global.get $last) (global.get $templateCount)) (then
      (if (call $match (call $template (global.get $last)) (local.get $p) (local.get $end) (local.get $row) (local.get $slot) (local.get $line)) (then
        (i32.store8 (i32.add (global.get $rowTemplates) (local.get $row)) (global.get $last))
        (return (i32.const 1))))))
    (block $none (loop $each
      (br_if $none (i32.ge_u (local.get $t) (global.get $templateCount)))
      (if (i32.ne (local.get $t) (global.get $last)) (then
        (if (call $match (call $template (local.get $t)) (local.get $p) (local.get $end) (local.get $row) (local.get $slot) (local.get $line)) (then
          (global.set $last (local.get $t))
          (i32.store8 (i32.add (global.get $rowTemplates) (local.get $row)) (local.get $t))
          (return (i32.const 1))))))
      (local.set $t (i32.add (local.get $t) (i32.const 1)))
      (br $each)))
    (i32.const 0))

  (func $template (param $index i32) (result i32)
    (i32.load (i32.add (i32.const 160) (i32.shl (local.get $index) (i32.const 2)))))

  ;; The first $byte in $p..$end, or $end, 32 bytes at a time. Reads up to 31 bytes past $end.
  (func $findByte (param $p i32) (param $end i32) (param $byte i32) (result i32)
    (local $needle v128) (local $low v128) (local $high v128)
    (local.set $needle (i8x16.splat (local.get $byte)))
    (loop $blocks
      (local.set $low (i8x16.eq (v128.load (local.get $p)) (local.get $needle)))
      (local.set $high (i8x16.eq (v128.load offset=16 (local.get $p)) (local.get $needle)))
      (if (v128.any_true (v128.or (local.get $low) (local.get $high))) (then
        (local.set $p (i32.add (local.get $p)
          (i32.ctz (i32.or (i8x16.bitmask (local.get $low)) (i32.shl (i8x16.bitmask (local.get $high)) (i32.const 16))))))
        (return (select (local.get $p) (local.get $end) (i32.lt_u (local.get $p) (local.get $end))))))
      (local.set $p (i32.add (local.get $p) (i32.const 32)))
      (br_if $blocks (i32.lt_u (local.get $p) (local.get $end))))
    (local.get $end))

  ;; Where the $length bytes at $needle first occur whole in $p..$end, or -1: found by their last byte.
  (func $find (param $p i32) (param $end i32) (param $needle i32) (param $length i32) (result i32)
    (local $q i32) (local $lastByte i32)
    (local.set $lastByte (i32.load8_u (i32.sub (i32.add (local.get $needle) (local.get $length)) (i32.const 1))))
    (local.set $q (i32.sub (i32.add (local.get $p) (local.get $length)) (i32.const 1)))
    (loop $candidates
      (if (i32.ge_u (local.get $q) (local.get $end)) (then (return (i32.const -1))))
      (local.set $q (call $findByte (local.get $q) (local.get $end) (local.get $lastByte)))
      (if (i32.ge_u (local.get $q) (local.get $end)) (then (return (i32.const -1))))
      (if (call $equal (i32.sub (i32.add (local.get $q) (i32.const 1)) (local.get $length)) (local.get $needle) (local.get $length))
        (then (return (i32.sub (i32.add (local.get $q) (i32.const 1)) (local.get $length)))))
      (local.set $q (i32.add (local.get $q) (i32.const 1)))
      (br $candidates))
    (i32.const -1))

  ;; Copies $from..$to to $out; returns the end of the copy.
  (func $copy (param $out i32) (param $from i32) (param $to i32) (result i32)
    (memory.copy (local.get $out) (local.get $from) (i32.sub (local.get $to) (local.get $from)))
    (i32.add (local.get $out) (i32.sub (local.get $to) (local.get $from))))

  ;; slim.ts's slimTaskEnd, byte for byte: the task end $start..$end without Accumulables, Task Executor Metrics
  ;; and Push Based Shuffle, written at $lineAt. Returns the end of what it wrote.
  (func $slim (param $start i32) (param $end i32) (result i32)
    (local $from i32) (local $out i32) (local $at i32) (local $close i32)
    (local.set $from (local.get $start))
    (local.set $out (global.get $lineAt))
    (local.set $at (call $find (local.get $start) (local.get $end) (i32.const 32) (i32.const 16)))
    (if (i32.ge_s (local.get $at) (i32.const 0)) (then
      (local.set $close (call $find (local.get $at) (local.get $end) (i32.const 48) (i32.const 9)))
      (if (i32.ge_s (local.get $close) (i32.const 0)) (then
        (local.set $out (call $copy (local.get $out) (local.get $start) (i32.add (local.get $at) (i32.const 16))))
        (local.set $from (local.get $close))))))
    (local.set $out (call $cutFlat (local.get $out) (local.get $end) (i32.const 64) (i32.const 26) (local.get $from)))
    (local.set $from (global.get $cutFrom))
    (local.set $out (call $cutFlat (local.get $out) (local.get $end) (i32.const 96) (i32.const 23) (local.get $from)))
    (local.set $from (global.get $cutFrom))
    (call $copy (local.get $out) (local.get $from) (local.get $end)))

  ;; Cuts the flat object keyed by the $length bytes at $key out of $from..$end: copies what precedes it to $out
  ;; and leaves where to go on from in $cutFrom. Returns the end of the copy.
  (func $cutFlat (param $out i32) (param $end i32) (param $key i32) (param $length i32) (param $from i32) (result i32)
    (local $at i32) (local $close i32)
    (global.set $cutFrom (local.get $from))
    (local.set $at (call $find (local.get $from) (local.get $end) (local.get $key) (local.get $length)))
    (if (i32.lt_s (local.get $at) (i32.const 0)) (then (return (local.get $out))))
    (local.set $close (call $findByte (i32.add (local.get $at) (local.get $length)) (local.get $end) (i32.const 0x7d)))
    (if (i32.ge_u (local.get $close) (local.get $end)) (then (return (local.get $out))))
    (global.set $cutFrom (i32.add (local.get $close) (i32.const 1)))
    (call $copy (local.get $out) (local.get $from) (local.get $at)))

  ;; Takes the line $start..$end as row $row when it is a task end a template matches. Returns the slimmed
  ;; length, or 0.
  (func $takeTaskEnd (param $start i32) (param $end i32) (param $row i32) (param $slot f64) (param $line f64) (result i32)
    (local $out i32)
    (if (i32.lt_u (i32.sub (local.get $end) (local.get $start)) (i32.const 32)) (then (return (i32.const 0))))
    (if (i32.gt_u (i32.sub (local.get $end) (local.get $start)) (global.get $lineMax)) (then (return (i32.const 0))))
    (if (i32.eqz (call $equal (local.get $start) (i32.const 0) (i32.const 31))) (then (return (i32.const 0))))
    (if (i32.ne (i32.load8_u (i32.sub (local.get $end) (i32.const 1))) (i32.const 0x7d)) (then (return (i32.const 0))))
    (local.set $out (call $slim (local.get $start) (local.get $end)))
    (i32.store8 (local.get $out) (i32.const 0))
    (if (i32.eqz (call $matchAny (global.get $lineAt) (local.get $out) (local.get $row) (local.get $slot) (local.get $line))) (then (return (i32.const 0))))
    (i32.sub (local.get $out) (global.get $lineAt)))

  ;; Reads the newline-ended lines of $p..$end (line numbers from $lineNo + 1, plus $lineBase in the rows),
  ;; taking the task ends a template matches as rows from $row and skipping task starts, until the buffer is full (returns 0), no whole
  ;; line is left (0), or a line is not taken (1: the caller reads it). Empty lines are counted and skipped;
  ;; a carriage return before a newline is not part of the line. The results are at 128 (see above).
  (func (export "scan") (param $p i32) (param $end i32) (param $row i32) (param $slot f64) (param $lineBase f64) (param $lineNo i32) (result i32)
    (local $nl i32) (local $start i32) (local $stop i32) (local $taken i32) (local $bytes i32) (local $lastTaken i32) (local $code i32) (local $skipped i32)
    (block $exit
      (loop $lines
        (br_if $exit (i32.ge_u (local.get $row) (global.get $capacity)))
        (local.set $nl (call $findByte (local.get $p) (local.get $end) (i32.const 10)))
        (br_if $exit (i32.ge_u (local.get $nl) (local.get $end)))
        (local.set $lineNo (i32.add (local.get $lineNo) (i32.const 1)))
        (local.set $start (local.get $p))
        (local.set $stop (local.get $nl))
        (local.set $p (i32.add (local.get $nl) (i32.const 1)))
        (if (i32.and (i32.gt_u (local.get $stop) (local.get $start)) (i32.eq (i32.load8_u (i32.sub (local.get $stop) (i32.const 1))) (i32.const 13)))
          (then (local.set $stop (i32.sub (local.get $stop) (i32.const 1)))))
        (br_if $lines (i32.eq (local.get $stop) (local.get $start)))
        (local.set $taken (call $takeTaskEnd (local.get $start) (local.get $stop) (local.get $row) (local.get $slot)
          (f64.add (local.get $lineBase) (f64.convert_i32_u (local.get $lineNo)))))
        (if (local.get $taken) (then
          (local.set $row (i32.add (local.get $row) (i32.const 1)))
          (local.set $bytes (i32.add (local.get $bytes) (local.get $taken)))
          (local.set $lastTaken (local.get $lineNo))
          (br $lines)))
        ;; No table reads a task start: an event to count, when it looks like a JSON object (as sniff.ts checks).
        (if (i32.and (i32.gt_u (i32.sub (local.get $stop) (local.get $start)) (i32.const 33))
              (i32.eq (i32.load8_u (i32.sub (local.get $stop) (i32.const 1))) (i32.const 0x7d))) (then
          (if (call $equal (local.get $start) (i32.const 200) (i32.const 33)) (then
            (local.set $skipped (i32.add (local.get $skipped) (i32.const 1)))
            (local.set $lastTaken (local.get $lineNo))
            (br $lines)))))
        (i32.store offset=132 (i32.const 0) (local.get $start))
        (i32.store offset=136 (i32.const 0) (local.get $stop))
        (local.set $code (i32.const 1))))
    (i32.store offset=128 (i32.const 0) (local.get $p))
    (i32.store offset=140 (i32.const 0) (local.get $lineNo))
    (i32.store offset=144 (i32.const 0) (local.get $row))
    (i32.store offset=148 (i32.const 0) (local.get $bytes))
    (i32.store offset=152 (i32.const 0) (local.get $lastTaken))
    (i32.store offset=156 (i32.const 0) (local.get $skipped))
    (local.get $code))
)
