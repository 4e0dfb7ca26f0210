import { describe, expect, it } from 'vitest';
import {
  capitalize,
  checkpointSizes,
  count,
  entriesCount,
  entrySpan,
  joinAnd,
  num,
  seqSpan,
} from '../../../../shared/present/words.js';

describe('words', () => {
  it('num groups thousands with commas, whatever the machine locale', () => {
    expect([num(0), num(999), num(1000), num(1234567), num(-12345)]).toEqual([
      '0',
      '999',
      '1,000',
      '1,234,567',
      '-12,345',
    ]);
  });
  it('count and entriesCount choose the singular for one', () => {
    expect([count(1, 'place', 'places'), count(2, 'place', 'places'), entriesCount(1), entriesCount(10000)]).toEqual([
      '1 place',
      '2 places',
      '1 entry',
      '10,000 entries',
    ]);
  });
  it('entrySpan and seqSpan name [from, to) with the last one included', () => {
    expect([entrySpan(7, 8), entrySpan(7, 10), entrySpan(1000, 2000), seqSpan(5, 6), seqSpan(5, 9)]).toEqual([
      'entry 7',
      'entries 7–9',
      'entries 1,000–1,999',
      'seq 5',
      'seq 5–8',
    ]);
  });
  it('checkpointSizes lists a few and sums up many', () => {
    expect(checkpointSizes([100])).toBe('the signed checkpoint of size 100');
    expect(checkpointSizes([200, 100, 200])).toBe('the signed checkpoints of sizes 100 and 200');
    expect(checkpointSizes([100, 200, 300])).toBe('the signed checkpoints of sizes 100, 200 and 300');
    expect(checkpointSizes([100, 200, 300, 400])).toBe('4 signed checkpoints (sizes 100 to 400)');
  });
  it('joinAnd and capitalize', () => {
    expect([joinAnd([]), joinAnd(['a']), joinAnd(['a', 'b']), joinAnd(['a', 'b', 'c'])]).toEqual([
      '',
      'a',
      'a and b',
      'a, b and c',
    ]);
    expect([capitalize('entry 5'), capitalize('')]).toEqual(['Entry 5', '']);
  });
});
