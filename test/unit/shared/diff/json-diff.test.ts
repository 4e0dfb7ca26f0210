/** jsonFieldDiff on values of any nesting: paths to depth MAX_FIELD_DEPTH, then the subtree that differs. */
import { describe, expect, it } from 'vitest';
import { jsonFieldDiff, MAX_FIELD_DEPTH } from '../../../../shared/diff/json-diff.js';

const nest = (depth: number, leaf: string) => JSON.parse('['.repeat(depth) + leaf + ']'.repeat(depth)) as unknown;

describe('jsonFieldDiff', () => {
  it('names the innermost difference, in document order, members only in b last', () => {
    expect(
      jsonFieldDiff({ a: 1, b: { c: [1, 2], d: 'x' }, 'odd name': 1 }, { a: 1, b: { c: [1, 3, 4], d: 'x' }, z: 0 }),
    ).toEqual({
      paths: ['$.b.c[1]', '$.b.c[2]', '$["odd name"]', '$.z'],
      omitted: 0,
    });
    expect(jsonFieldDiff({ a: 1 }, { a: '1' }, 1)).toEqual({ paths: ['$.a'], omitted: 0 });
    expect(jsonFieldDiff([1, 2, 3], [4, 5, 6], 2)).toEqual({ paths: ['$[0]', '$[1]'], omitted: 1 });
  });

  it('5,000 levels (a 10 KB line): no stack overflow, paths stop at the depth limit, which is reported', () => {
    const t = Date.now();
    const d = jsonFieldDiff(nest(5000, '1'), nest(5000, '2'));
    expect(Date.now() - t).toBeLessThan(2000);
    expect(d).toEqual({ paths: [`$${'[0]'.repeat(MAX_FIELD_DEPTH)}`], omitted: 0, depthLimit: MAX_FIELD_DEPTH });
    expect(jsonFieldDiff(nest(5000, '1'), nest(5000, '1'))).toEqual({ paths: [], omitted: 0 });
    // Within the limit nothing changes: the innermost path, no depthLimit.
    expect(jsonFieldDiff(nest(MAX_FIELD_DEPTH, '1'), nest(MAX_FIELD_DEPTH, '2'))).toEqual({
      paths: [`$${'[0]'.repeat(MAX_FIELD_DEPTH)}`],
      omitted: 0,
    });
  });

  it('200,000 levels of objects (a 1 MiB line) compare in linear time', () => {
    const deep = (leaf: number) => JSON.parse(`${'{"a":'.repeat(200_000)}${leaf}${'}'.repeat(200_000)}`) as unknown;
    const t = Date.now();
    const d = jsonFieldDiff(deep(1), deep(2));
    expect(Date.now() - t).toBeLessThan(5000);
    expect(d.depthLimit).toBe(MAX_FIELD_DEPTH);
    expect(d.paths).toEqual([`$${'.a'.repeat(MAX_FIELD_DEPTH)}`]);
  });
});
