import { Heap } from '../src/heap.js';

test('pops in `before` order, whatever the push order; replaceTop keeps the order', () => {
  const h = new Heap<number>((a, b) => a > b);
  for (const n of [5, 1, 9, 3, 7, 9, 0]) h.push(n);
  expect(h.peek()).toBe(9);
  h.replaceTop(4);
  const out: number[] = [];
  for (let x = h.pop(); x !== undefined; x = h.pop()) out.push(x);
  expect(out).toEqual([9, 7, 5, 4, 3, 1, 0]);
  expect(h.size).toBe(0);
});
