// A binary heap ordered by a `before` relation: the item for which before(item, other) holds
// against every other item is on top. The guess stream (best weight first) and the audit's
// top-N selection of a WORD:COUNT list (worst kept item on top, to be replaced) both use it.

export class Heap<T> {
  /** The items in heap order (not sorted). */
  readonly items: T[] = [];

  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    this.items.push(item);
    this.up(this.items.length - 1);
  }

  pop(): T | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      this.down(0);
    }
    return top;
  }

  /** Put `item` in place of the top one (cheaper than pop then push). */
  replaceTop(item: T): void {
    this.items[0] = item;
    this.down(0);
  }

  private up(i: number): void {
    const a = this.items;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(a[i] as T, a[p] as T)) return;
      [a[i], a[p]] = [a[p] as T, a[i] as T];
      i = p;
    }
  }

  private down(i: number): void {
    const a = this.items;
    for (;;) {
      const [l, r] = [2 * i + 1, 2 * i + 2];
      let m = i;
      if (l < a.length && this.before(a[l] as T, a[m] as T)) m = l;
      if (r < a.length && this.before(a[r] as T, a[m] as T)) m = r;
      if (m === i) return;
      [a[i], a[m]] = [a[m] as T, a[i] as T];
      i = m;
    }
  }
}
