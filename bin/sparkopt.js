#!/usr/bin/env node
// CommonJS (bin/package.json), so that this line runs before Node starts its thread pool: loading an ES module
// starts it, with four threads. sparkopt needs two: one for the DuckDB statement running, one for file reads and
// writes (a slow disk's small files are read on threads of their own: src/source/file-readers.ts). Each thread
// that has run a DuckDB statement keeps a C heap of its own: with two, the 1 GB log peaked 10-20 MB lower and was
// no slower, the 1,000-app fleet and its re-run as fast (three interleaved runs each). A user's value is kept.
process.env.UV_THREADPOOL_SIZE ??= '2';
import('../dist/bundle/main.js');
