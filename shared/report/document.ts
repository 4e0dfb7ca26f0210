/**
 * A declarative model of a printed report: a list of blocks (verdict banner, headings, field
 * lists, tables, findings) plus the files attached to the PDF. Report builders (verification,
 * divergence) produce a ReportDocument from a signed statement with pure code; the renderer in
 * electron/report/pdf/ turns any ReportDocument into deterministic PDF bytes. Keeping layout
 * decisions (what to show, in which order, how much) here and drawing there lets both report
 * kinds share one renderer and lets tests inspect a document without parsing a PDF.
 */

/** Colour intent of a block or cell; the renderer maps it to a palette. */
export type Tone = 'pass' | 'fail' | 'warn' | 'info' | 'neutral';

export interface Field {
  readonly label: string;
  readonly value: string;
  /** Monospace, never wrapped mid-token by choice: digests, fingerprints, key IDs. */
  readonly mono?: boolean;
  readonly tone?: Tone;
}

export interface Column {
  readonly title: string;
  /** Share of the text width; the shares of a table sum to 1. */
  readonly width: number;
  readonly mono?: boolean;
  readonly align?: 'left' | 'right';
}

/** A run of text in a cell; each run starts on a new line. */
export interface CellRun {
  readonly text: string;
  readonly tone?: Tone;
  readonly mono?: boolean;
  readonly bold?: boolean;
  readonly muted?: boolean;
}

/** A table cell: plain text (in the column's style), one styled run, or several runs one below the other. */
export type Cell = string | CellRun | { readonly runs: readonly CellRun[] };

/** One finding as printed: a severity chip, a title line, a message and evidence lines. */
export interface FindingItem {
  readonly tone: Tone;
  readonly severity: string;
  readonly code: string;
  readonly location: string;
  readonly message: string;
  /** Label and value, e.g. ['expected', '<64 hex>']; values are printed in monospace. */
  readonly evidence: readonly (readonly [string, string])[];
}

export type Block =
  | {
      readonly kind: 'banner';
      readonly tone: Tone;
      readonly label: string;
      readonly headline: string;
      readonly lines: readonly string[];
    }
  | { readonly kind: 'heading'; readonly text: string }
  | { readonly kind: 'subheading'; readonly text: string }
  | { readonly kind: 'paragraph'; readonly text: string; readonly muted?: boolean; readonly mono?: boolean }
  | { readonly kind: 'fields'; readonly rows: readonly Field[] }
  | {
      readonly kind: 'table';
      readonly columns: readonly Column[];
      readonly rows: readonly (readonly Cell[])[];
      readonly empty?: string;
    }
  | { readonly kind: 'findings'; readonly items: readonly FindingItem[] }
  /**
   * Entries over time: bars from `from` (ms since the epoch, UTC), each `bucketMs` wide, stacked
   * verified / failed / no longer proven / unverifiable; silences drawn across them; `ticks`
   * are the labelled bar indexes with their labels.
   */
  | {
      readonly kind: 'timeline';
      readonly from: number;
      readonly bucketMs: number;
      readonly bars: ReadonlyArray<readonly [number, number, number, number]>;
      readonly silences: ReadonlyArray<readonly [number, number]>;
      readonly ticks: ReadonlyArray<readonly [number, string]>;
    }
  | { readonly kind: 'pageBreak' };

export interface Attachment {
  readonly name: string;
  readonly mime: string;
  readonly description: string;
  readonly bytes: Uint8Array;
}

export interface ReportDocument {
  /** Printed at the top of page 1 and stored as the PDF title. */
  readonly title: string;
  /** Printed in every page footer with "page X of Y". */
  readonly reportId: string;
  /** Short text at the left of every footer (e.g. the case reference). */
  readonly footer: string;
  /** RFC 3339 UTC; becomes the PDF creation and modification date (so it must come from the statement). */
  readonly created: string;
  readonly author: string;
  readonly subject: string;
  readonly keywords: string;
  /** Creator and producer strings of the PDF information dictionary. */
  readonly creator: string;
  readonly blocks: readonly Block[];
  readonly attachments: readonly Attachment[];
}
