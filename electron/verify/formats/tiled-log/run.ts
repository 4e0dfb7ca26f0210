/** The state one tiled-log verification carries from step to step: what it found, read and counted. */
import type { Layout } from '../../../../shared/tlog/tiles.js';
import { type Finding, type FindingCode, finding } from '../../../../shared/verdict/findings.js';
import type { BundleFileReport } from '../../../../shared/verdict/result.js';
import type { BundleSource } from '../../../platform/bundle-source.js';

export type Evidence = Record<string, string | number | boolean | null>;

export class TiledLogRun {
  /** Every finding, in the order the steps made them. */
  readonly findings: Finding[] = [];
  /** Every file read, in the order it was read. */
  readonly files: BundleFileReport[] = [];
  tilesChecked = 0;
  tileProblems = 0;
  rootsChecked = 0;
  rootProblems = 0;
  entryProblems = 0;
  readonly source: BundleSource;
  readonly layout: Layout;
  /** The tile height: a leaf tile holds 2^height entries. */
  readonly height: number;
  /** Entries in a full leaf tile (2^height). */
  readonly width: number;

  constructor(source: BundleSource, layout: Layout, height: number) {
    this.source = source;
    this.layout = layout;
    this.height = height;
    this.width = 2 ** height;
  }

  add(code: FindingCode, loc: Finding['location'], msg: string, ev?: Evidence): void {
    this.findings.push(finding(code, loc, msg, ev));
  }
}
