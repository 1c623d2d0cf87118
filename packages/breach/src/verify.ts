// `pwguard breach verify`: the whole file, not just what a lookup touches.
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { bucketEntriesOf } from './bucket.js';
import { HEADER_BYTES, StoreError, bucketCount } from './format.js';
import { Store, openStore } from './store.js';

export interface VerifyResult {
  readonly path: string;
  readonly entries: number;
  readonly buckets: number;
  readonly bytes: number;
}

/** Check header, body checksum, every directory entry, bucket CRC and bucket layout; throws StoreError. */
export function verifyStore(path: string): VerifyResult {
  const store = openStore(path) as Store;
  try {
    const h = store.header;
    checkBody(path, h.bodySha256);
    let entries = 0;
    let expectStart = 0;
    const buckets = bucketCount(h);
    for (let j = 0; j < buckets; j++) {
      const { start, end } = store.dirEntry(j);
      if (start !== expectStart) throw new StoreError(path, `bucket ${j} does not start where bucket ${j - 1} ends`);
      const { buf, off, n } = store.bucket(j);
      checkBucket(store, j, buf, off, n);
      entries += n;
      expectStart = end;
    }
    if (expectStart !== h.dataBytes) throw new StoreError(path, `buckets end at ${expectStart}, the header says ${h.dataBytes}`);
    if (entries !== h.entries) throw new StoreError(path, `buckets hold ${entries} entries, the header says ${h.entries}`);
    return { path, entries, buckets, bytes: HEADER_BYTES + h.dataBytes + h.dirBytes };
  } finally {
    store.close();
  }
}

function checkBody(path: string, expected: Buffer): void {
  const fd = openSync(path, 'r');
  const hash = createHash('sha256');
  const buf = Buffer.alloc(8 << 20);
  try {
    let at = HEADER_BYTES;
    for (;;) {
      const got = readSync(fd, buf, 0, buf.length, at);
      if (got === 0) break;
      hash.update(buf.subarray(0, got));
      at += got;
    }
  } finally {
    closeSync(fd);
  }
  if (!hash.digest().equals(expected)) throw new StoreError(path, 'body checksum mismatch: the file is corrupt');
}

function checkBucket(store: Store, j: number, buf: Uint8Array, off: number, n: number): void {
  const h = store.header;
  let seen = 0;
  let prevHigh = -1;
  let prevLow = -1;
  for (const e of bucketEntriesOf(h, buf, off, n)) {
    if (e.high < prevHigh || (e.high === prevHigh && e.low <= prevLow)) throw new StoreError(store.path, `bucket ${j}: entries out of order`);
    if (e.code === 0) throw new StoreError(store.path, `bucket ${j}: an entry with count code 0`);
    prevHigh = e.high;
    prevLow = e.low;
    seen++;
  }
  if (seen !== n) throw new StoreError(store.path, `bucket ${j}: unary part holds ${seen} entries, its size says ${n}`);
}
