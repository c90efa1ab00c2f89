/**
 * When refuse filters run out, soonest first (a binary min-heap), so a pass finds the agents whose filters
 * expired without looking at every filter of every framework.
 */
interface Expiry {
  until: number;
  frameworkId: string;
  agentId: string;
}

export class FilterExpiries {
  private readonly heap: Expiry[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(until: number, frameworkId: string, agentId: string): void {
    const heap = this.heap;
    heap.push({ until, frameworkId, agentId });
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if ((heap[parent] as Expiry).until <= (heap[i] as Expiry).until) break;
      [heap[parent], heap[i]] = [heap[i] as Expiry, heap[parent] as Expiry];
      i = parent;
    }
  }

  /** Removes and returns every expiry at or before `now`. */
  popUntil(now: number): Expiry[] {
    const out: Expiry[] = [];
    while (this.heap.length > 0 && (this.heap[0] as Expiry).until <= now) out.push(this.pop());
    return out;
  }

  private pop(): Expiry {
    const heap = this.heap;
    const top = heap[0] as Expiry;
    const last = heap.pop() as Expiry;
    if (heap.length === 0) return top;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && (heap[left] as Expiry).until < (heap[smallest] as Expiry).until)
        smallest = left;
      if (right < heap.length && (heap[right] as Expiry).until < (heap[smallest] as Expiry).until)
        smallest = right;
      if (smallest === i) return top;
      [heap[smallest], heap[i]] = [heap[i] as Expiry, heap[smallest] as Expiry];
      i = smallest;
    }
  }
}
