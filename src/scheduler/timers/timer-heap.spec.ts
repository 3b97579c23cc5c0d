import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { SlotHandle, TimerHeap } from './timer-heap.js';

describe(TimerHeap.name, () => {
  it('pops due handles earliest first and leaves later ones', () => {
    const heap = new TimerHeap();
    [50, 10, 30, 20, 40].forEach((t, i) => heap.push(new SlotHandle(`j${i}`, t)));
    expect(heap.popDue(30).map((h) => h.dueAt)).toEqual([10, 20, 30]);
    expect(heap.size).toBe(2);
    expect(heap.peek()?.dueAt).toBe(40);
  });

  it('removes a handle from anywhere and ignores a second removal', () => {
    const heap = new TimerHeap();
    const handles = [5, 1, 4, 2, 3].map((t) => new SlotHandle(String(t), t));
    handles.forEach((h) => heap.push(h));
    heap.remove(handles[2]);
    heap.remove(handles[2]);
    expect(handles[2].index).toBe(-1);
    expect(heap.popDue(10).map((h) => h.dueAt)).toEqual([1, 2, 3, 5]);
  });

  it('keeps heap order under any mix of pushes and removals', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.boolean()), { maxLength: 200 }),
        (ops) => {
          const heap = new TimerHeap();
          const live: SlotHandle[] = [];
          ops.forEach(([t, remove], i) => {
            if (remove && live.length > 0) {
              heap.remove(live.splice(t % live.length, 1)[0]);
            } else {
              const h = new SlotHandle(String(i), t);
              live.push(h);
              heap.push(h);
            }
          });
          const popped = heap.popDue(Number.MAX_SAFE_INTEGER).map((h) => h.dueAt);
          expect(popped).toEqual(live.map((h) => h.dueAt).sort((a, b) => a - b));
        },
      ),
    );
  });
});
