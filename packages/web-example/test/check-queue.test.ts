// The bounded check queue: deterministic, with jobs held on promises (no timing).
import { expect, test } from '@jest/globals';
import { CheckQueue, QueueFull, defaultQueueSize } from '../src/check-queue.js';

function held(): { promise: Promise<void>; release: () => void } {
  let release = () => {};
  const promise = new Promise<void>((ok) => { release = ok; });
  return { promise, release };
}

test('refuses at once when `size` jobs are pending, runs the rest one after another in arrival order', async () => {
  const q = new CheckQueue(3);
  const gates = [held(), held(), held()];
  const order: number[] = [];
  const runs = gates.map((g, i) => q.run(async () => {
    order.push(i);
    await g.promise;
    return i;
  }));
  expect(q.pending).toBe(3);
  await expect(q.run(async () => 99)).rejects.toBeInstanceOf(QueueFull);
  expect(order).toEqual([]); // nothing starts before the event loop turns (and reads more requests)
  await new Promise((ok) => setImmediate(ok));
  expect(order).toEqual([0]); // one runs, two wait
  gates[0]?.release();
  expect(await runs[0]).toBe(0);
  gates[2]?.release();
  gates[1]?.release();
  expect(await Promise.all(runs)).toEqual([0, 1, 2]);
  expect(order).toEqual([0, 1, 2]);
  expect(q.pending).toBe(0);
  expect(await q.run(async () => 7)).toBe(7); // room again
});

test('a job that throws frees its slot', async () => {
  const q = new CheckQueue(1);
  await expect(q.run(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
  expect(q.pending).toBe(0);
  expect(await q.run(async () => 1)).toBe(1);
});

test('default size is 8 per core; a size below 1 is refused', () => {
  expect(defaultQueueSize(2)).toBe(16);
  expect(defaultQueueSize(0)).toBe(8);
  expect(() => new CheckQueue(0)).toThrow(RangeError);
});
