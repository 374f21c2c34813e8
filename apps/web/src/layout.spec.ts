import { layoutDag, neighbour } from './layout';
import type { StepSpec } from './types';

const steps = (ids: string[]): StepSpec[] => ids.map((id) => ({ id, type: 'noop' }));

describe('laying out a DAG with dagre', () => {
  it('places every step left of its successors and walks the graph with the arrow keys', () => {
    const layout = layoutDag(steps(['a', 'b', 'c', 'd']), [
      { from: 'a', to: 'b' },
      { from: 'a', to: 'c' },
      { from: 'b', to: 'd' },
      { from: 'c', to: 'd' },
    ]);
    const x = Object.fromEntries(layout.nodes.map((n) => [n.id, n.x]));
    expect(x.a).toBeLessThan(x.b);
    expect(x.b).toBeLessThan(x.d);
    expect(x.b).toBe(x.c);
    expect(neighbour(layout, 'a', 'ArrowRight')).toBe('b');
    expect(neighbour(layout, 'd', 'ArrowLeft')).toBe('b');
    const below = neighbour(layout, 'b', 'ArrowDown') ?? neighbour(layout, 'b', 'ArrowUp');
    expect(below).toBe('c');
  });

  it('ignores edges to unknown steps rather than failing', () => {
    const layout = layoutDag(steps(['a']), [{ from: 'a', to: 'ghost' }]);
    expect(layout.nodes).toHaveLength(1);
    expect(layout.edges).toHaveLength(0);
  });
});
