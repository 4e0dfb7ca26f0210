/**
 * utcSeconds: the calendar arithmetic under every parser of times in untrusted input, checked
 * against Date for years Date.UTC reads as written, and by hand for years 0–99, which it does not.
 */
import { describe, expect, it } from 'vitest';
import { utcSeconds } from '../../../../shared/encoding/civil-time.js';
import { prng } from '../../../support/fixtures.js';

describe('utcSeconds', () => {
  it('agrees with Date.UTC on 5,000 random date-times of years 100–9999', () => {
    const rand = prng(1582);
    for (let i = 0; i < 5000; i++) {
      const y = 100 + Math.floor(rand() * 9900);
      const mo = 1 + Math.floor(rand() * 12);
      const d = 1 + Math.floor(rand() * 28);
      const [h, mi, s] = [Math.floor(rand() * 24), Math.floor(rand() * 60), Math.floor(rand() * 60)];
      expect(utcSeconds(y, mo, d, h, mi, s), `${y}-${mo}-${d} ${h}:${mi}:${s}`).toBe(
        Date.UTC(y, mo - 1, d, h, mi, s) / 1000,
      );
    }
  });

  it('counts years 0–99 as themselves (Date.UTC would read them as 1900–1999)', () => {
    const viaFullYear = (y: number, mo: number, d: number) => {
      const t = new Date(0);
      t.setUTCFullYear(y, mo - 1, d);
      return t.getTime() / 1000;
    };
    for (const [y, mo, d] of [
      [0, 1, 1],
      [0, 2, 29],
      [1, 1, 1],
      [50, 6, 15],
      [99, 12, 31],
    ] as const) {
      expect(utcSeconds(y, mo, d, 0, 0, 0), `${y}-${mo}-${d}`).toBe(viaFullYear(y, mo, d));
    }
    expect(utcSeconds(1, 1, 1, 0, 0, 0)).toBe(-62_135_596_800);
  });

  it('refuses dates and times that do not exist, and non-integers', () => {
    const bad: Array<[number, number, number, number, number, number]> = [
      [2023, 2, 29, 0, 0, 0],
      [1900, 2, 29, 0, 0, 0],
      [2026, 4, 31, 0, 0, 0],
      [2026, 13, 1, 0, 0, 0],
      [2026, 0, 1, 0, 0, 0],
      [2026, 1, 0, 0, 0, 0],
      [2026, 1, 1, 24, 0, 0],
      [2026, 1, 1, 0, 60, 0],
      [2026, 1, 1, 0, 0, 60],
      [-1, 1, 1, 0, 0, 0],
      [10000, 1, 1, 0, 0, 0],
      [2026, 1, 1.5, 0, 0, 0],
    ];
    for (const b of bad) expect(utcSeconds(...b), b.join(' ')).toBeUndefined();
    expect(utcSeconds(2000, 2, 29, 23, 59, 59)).toBe(951_868_799);
  });
});
