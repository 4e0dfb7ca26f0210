/**
 * Renders any ReportDocument (shared/report/document.ts) to PDF bytes with PDFKit.
 *
 * Deterministic by construction, so that a verifier can re-render a report from its signed
 * attestation and compare bytes:
 *  - every date in the file (information dictionary, attachment parameters) is the document's
 *    `created`, which comes from the statement; the file ID is PDFKit's MD5 of that dictionary;
 *  - fonts are the TTF files shipped in resources/fonts (subset and embedded; font subset tags
 *    are derived from the font's internal ID, not random); no standard (non-embedded) font is used;
 *  - streams are not compressed. zlib output is not guaranteed to be identical across zlib builds
 *    and CPU feature sets (Node's bundled zlib picks code paths by CPU), and an identical
 *    re-render must not depend on the machine. The cost is size; docs/report-format.md §6 has numbers;
 *  - nothing depends on the host locale, time zone or clock.
 * Fonts and the PDFKit version are part of the tool build digest (electron/report/build-digest.ts).
 */
import { readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { assertNever } from '../../../shared/encoding/assert.js';
import type {
  Attachment,
  Block,
  Cell,
  CellRun,
  Column,
  Field,
  FindingItem,
  ReportDocument,
  Tone,
} from '../../../shared/report/document.js';
import { resourcePath } from '../../platform/paths.js';

export const PDF_FONT_FILES = {
  regular: 'DejaVuSans.ttf',
  bold: 'DejaVuSans-Bold.ttf',
  mono: 'DejaVuSansMono.ttf',
} as const;

const MARGIN = { top: 46, bottom: 62, left: 42, right: 42 } as const;
const FOOTER_Y_FROM_BOTTOM = 44;
/** Longest cell or message text printed; longer text is cut with an ellipsis (the attachment has it whole). */
const MAX_TEXT = 1500;

const PALETTE: Record<Tone, { fg: string; bg: string }> = {
  pass: { fg: '#1b6e2f', bg: '#e2f3e5' },
  fail: { fg: '#b0221a', bg: '#fbe3e1' },
  warn: { fg: '#85570a', bg: '#fdf1d3' },
  info: { fg: '#1d5aa0', bg: '#e4edf9' },
  neutral: { fg: '#333333', bg: '#f0f0f0' },
};
const TEXT = '#1a1a1a';
const MUTED = '#5c5c5c';
const RULE = '#c8c8c8';

type Doc = PDFKit.PDFDocument;
type FontName = 'regular' | 'bold' | 'mono';
interface RunStyle {
  readonly text: string;
  readonly font: FontName;
  readonly size: number;
  readonly color: string;
}

function clip(s: string): string {
  return s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s;
}

function pdfDate(rfc3339: string): Date {
  const d = new Date(rfc3339);
  if (Number.isNaN(d.getTime())) throw new Error(`invalid document date ${rfc3339}`);
  return d;
}

/** Draws blocks top to bottom, breaking pages so that no row or finding is split. */
class Layout {
  readonly width: number;
  constructor(private readonly doc: Doc) {
    this.width = doc.page.width - MARGIN.left - MARGIN.right;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  private font(name: FontName, size: number, color = TEXT): this {
    this.doc.font(name).fontSize(size).fillColor(color);
    return this;
  }

  private height(text: string, font: FontName, size: number, width: number): number {
    this.doc.font(font).fontSize(size);
    return this.doc.heightOfString(text, { width, lineGap: 1 });
  }

  /** Starts a new page unless `h` more points fit on this one. */
  private room(h: number): void {
    if (this.doc.y + h > this.bottom) {
      this.doc.addPage();
      this.doc.y = MARGIN.top;
    }
  }

  private write(text: string, x: number, y: number, width: number, opts: { align?: 'left' | 'right' } = {}): void {
    this.doc.text(text, x, y, { width, lineGap: 1, align: opts.align ?? 'left', lineBreak: true });
  }

  block(b: Block): void {
    switch (b.kind) {
      case 'banner':
        return this.banner(b.tone, b.label, b.headline, b.lines);
      case 'heading':
        return this.heading(b.text, 13);
      case 'subheading':
        return this.heading(b.text, 10.5);
      case 'paragraph':
        return this.paragraph(b.text, b.muted ?? false, b.mono ?? false);
      case 'fields':
        return this.fields(b.rows);
      case 'table':
        return this.table(b.columns, b.rows, b.empty);
      case 'findings':
        return this.findings(b.items);
      case 'timeline':
        return this.timeline(b);
      case 'pageBreak':
        this.doc.addPage();
        this.doc.y = MARGIN.top;
        return;
      default:
        assertNever(b, 'block');
    }
  }

  title(text: string): void {
    this.font('bold', 20).write(text, MARGIN.left, this.doc.y, this.width);
    this.doc.y += 4;
  }

  private banner(tone: Tone, label: string, headline: string, lines: readonly string[]): void {
    const c = PALETTE[tone];
    const pad = 12;
    const inner = this.width - 2 * pad - 6;
    const hLabel = this.height(label, 'bold', 30, inner);
    const hHead = this.height(clip(headline), 'bold', 11, inner);
    const hLines = lines.map((l) => this.height(clip(l), 'regular', 8.5, inner));
    const h = pad + hLabel + 4 + hHead + 6 + hLines.reduce((a, b) => a + b + 1, 0) + pad;
    this.room(h + 10);
    const y0 = this.doc.y;
    this.doc.save().rect(MARGIN.left, y0, this.width, h).fill(c.bg).restore();
    this.doc.save().rect(MARGIN.left, y0, 6, h).fill(c.fg).restore();
    let y = y0 + pad;
    const x = MARGIN.left + 6 + pad;
    this.font('bold', 30, c.fg).write(label, x, y, inner);
    y += hLabel + 4;
    this.font('bold', 11, TEXT).write(clip(headline), x, y, inner);
    y += hHead + 6;
    lines.forEach((l, i) => {
      this.font('regular', 8.5, TEXT).write(clip(l), x, y, inner);
      y += hLines[i]! + 1;
    });
    this.doc.y = y0 + h + 12;
  }

  /** Diagonal lines across a rectangle (clipped to it): hatching for "no longer proven" and silences. */
  private hatch(x: number, y: number, w: number, h: number, color: string, step: number): void {
    if (w <= 0 || h <= 0) return;
    this.doc.save().rect(x, y, w, h).clip();
    this.doc.lineWidth(0.5).strokeColor(color);
    for (let d = -h; d < w; d += step)
      this.doc
        .moveTo(x + d, y + h)
        .lineTo(x + d + h, y)
        .stroke();
    this.doc.restore();
  }

  /** Entries over time: stacked bars by class, silences hatched across the plot, UTC ticks below. */
  private timeline(b: Extract<Block, { kind: 'timeline' }>): void {
    const H = 84;
    const AXIS = 11;
    const LEGEND = 12;
    this.room(H + AXIS + LEGEND + 12);
    const x0 = MARGIN.left;
    const y0 = this.doc.y + 2;
    const w = this.width;
    const n = Math.max(1, b.bars.length);
    const bw = w / n;
    const spanMs = n * b.bucketMs;
    const max = Math.max(1, ...b.bars.map((c) => c[0] + c[1] + c[2] + c[3]));
    const scale = (H - 3) / max;
    for (const [t0, t1] of b.silences) {
      const xa = x0 + Math.max(0, Math.min(1, (t0 - b.from) / spanMs)) * w;
      const xb = x0 + Math.max(0, Math.min(1, (t1 - b.from) / spanMs)) * w;
      if (xb - xa <= 0) continue;
      this.doc
        .save()
        .rect(xa, y0, xb - xa, H)
        .fill('#f1f1f1')
        .restore();
      this.hatch(xa, y0, xb - xa, H, '#9a9a9a', 4);
    }
    // Bottom up, as the app draws them: verified, failed, no longer proven, unverifiable.
    const fills = [PALETTE.pass.fg, PALETTE.fail.fg, 'hatch', PALETTE.warn.fg] as const;
    b.bars.forEach((c, k) => {
      let y = y0 + H;
      c.forEach((count, j) => {
        if (count === 0) return;
        // A single failed entry among thousands must still be seen.
        const h = Math.max(j === 1 ? 2 : 0.7, count * scale);
        y -= h;
        const x = x0 + k * bw + 0.25;
        const bwi = Math.max(0.4, bw - 0.5);
        if (fills[j] === 'hatch') {
          this.doc.save().rect(x, y, bwi, h).fill(PALETTE.warn.bg).restore();
          this.hatch(x, y, bwi, h, PALETTE.warn.fg, 2.5);
        } else this.doc.save().rect(x, y, bwi, h).fill(fills[j]!).restore();
      });
    });
    this.timelineAxis(b.ticks, x0, y0 + H, w, bw);
    const ly = y0 + H + AXIS + 3;
    this.timelineLegend(x0, ly);
    this.doc.y = ly + LEGEND;
  }

  /** The baseline under the bars, with a tick and a rotated UTC label at each tick's bar. */
  private timelineAxis(
    ticks: Extract<Block, { kind: 'timeline' }>['ticks'],
    x0: number,
    base: number,
    w: number,
    bw: number,
  ): void {
    this.doc
      .save()
      .moveTo(x0, base)
      .lineTo(x0 + w, base)
      .lineWidth(0.6)
      .strokeColor(RULE)
      .stroke()
      .restore();
    for (const [k, label] of ticks) {
      const x = x0 + k * bw;
      this.doc
        .save()
        .moveTo(x, base)
        .lineTo(x, base + 3)
        .lineWidth(0.5)
        .strokeColor(MUTED)
        .stroke()
        .restore();
      this.font('regular', 6.5, MUTED).write(label, x + 1.5, base + 2.5, 90);
    }
  }

  /** One swatch and label per bar class and for silences, in a row from (x, ly). */
  private timelineLegend(x: number, ly: number): void {
    let lx = x;
    for (const [label, fill] of [
      ['verified', PALETTE.pass.fg],
      ['failed', PALETTE.fail.fg],
      ['no longer proven', 'hatch'],
      ['unverifiable', PALETTE.warn.fg],
      ['silent', 'silence'],
    ] as const) {
      if (fill === 'hatch') {
        this.doc.save().rect(lx, ly, 7, 7).fill(PALETTE.warn.bg).restore();
        this.hatch(lx, ly, 7, 7, PALETTE.warn.fg, 2.5);
      } else if (fill === 'silence') {
        this.doc.save().rect(lx, ly, 7, 7).fill('#f1f1f1').restore();
        this.hatch(lx, ly, 7, 7, '#9a9a9a', 3);
      } else this.doc.save().rect(lx, ly, 7, 7).fill(fill).restore();
      this.font('regular', 7, MUTED).write(label, lx + 10, ly - 0.5, 90);
      this.doc.font('regular').fontSize(7);
      lx += 10 + this.doc.widthOfString(label) + 14;
    }
  }

  private heading(text: string, size: number): void {
    // Keep a heading with at least the start of what follows it.
    this.room(size + 60);
    this.doc.y += size === 13 ? 8 : 4;
    this.font('bold', size).write(text, MARGIN.left, this.doc.y, this.width);
    if (size === 13) {
      const y = this.doc.y + 1;
      this.doc
        .save()
        .moveTo(MARGIN.left, y)
        .lineTo(MARGIN.left + this.width, y)
        .lineWidth(0.6)
        .strokeColor(RULE)
        .stroke()
        .restore();
      this.doc.y = y + 5;
    } else this.doc.y += 3;
  }

  private paragraph(text: string, muted: boolean, mono: boolean): void {
    const t = clip(text);
    const f: FontName = mono ? 'mono' : 'regular';
    const size = mono ? 7.5 : 8.5;
    const h = this.height(t, f, size, this.width);
    this.room(h);
    this.font(f, size, muted ? MUTED : TEXT).write(t, MARGIN.left, this.doc.y, this.width);
    this.doc.y += 4;
  }

  private fields(rows: readonly Field[]): void {
    const labelW = 118;
    const valueW = this.width - labelW;
    for (const r of rows) {
      const v = clip(r.value);
      const vf: FontName = r.mono ? 'mono' : 'regular';
      const vs = r.mono ? 7.5 : 8.5;
      const h = Math.max(this.height(r.label, 'bold', 8.5, labelW - 6), this.height(v, vf, vs, valueW)) + 3;
      this.room(h);
      const y = this.doc.y;
      this.font('bold', 8.5, MUTED).write(r.label, MARGIN.left, y, labelW - 6);
      this.font(vf, vs, r.tone ? PALETTE[r.tone].fg : TEXT).write(
        v,
        MARGIN.left + labelW,
        y + (r.mono ? 1 : 0),
        valueW,
      );
      this.doc.y = y + h;
    }
    this.doc.y += 4;
  }

  private runStyle(r: CellRun, col: Column): RunStyle {
    const mono = r.mono ?? col.mono ?? false;
    return {
      text: clip(r.text),
      font: mono ? 'mono' : r.bold ? 'bold' : 'regular',
      size: mono ? 6 : r.muted ? 7 : 7.5,
      color: r.tone ? PALETTE[r.tone].fg : r.muted ? MUTED : TEXT,
    };
  }

  private cellRuns(c: Cell, col: Column): RunStyle[] {
    if (typeof c === 'string') return [this.runStyle({ text: c }, col)];
    if ('runs' in c) return c.runs.map((r) => this.runStyle(r, col));
    return [this.runStyle(c, col)];
  }

  private runsHeight(runs: readonly RunStyle[], width: number): number {
    return runs.reduce((h, r) => h + this.height(r.text, r.font, r.size, width), 0);
  }

  private table(columns: readonly Column[], rows: readonly (readonly Cell[])[], empty?: string): void {
    const pad = 3;
    const xs: number[] = [];
    const ws: number[] = [];
    let x = MARGIN.left;
    for (const c of columns) {
      xs.push(x);
      const w = c.width * this.width;
      ws.push(w);
      x += w;
    }
    const header = () => {
      const h = Math.max(...columns.map((c, i) => this.height(c.title, 'bold', 7.5, ws[i]! - 2 * pad))) + 2 * pad;
      this.room(h + 14);
      const y = this.doc.y;
      this.doc.save().rect(MARGIN.left, y, this.width, h).fill(PALETTE.neutral.bg).restore();
      columns.forEach((c, i) => {
        this.font('bold', 7.5, MUTED).write(c.title, xs[i]! + pad, y + pad, ws[i]! - 2 * pad, {
          align: c.align ?? 'left',
        });
      });
      this.doc.y = y + h;
    };
    header();
    if (rows.length === 0) {
      this.paragraph(empty ?? '(none)', true, false);
      return;
    }
    for (const row of rows) {
      const cells = columns.map((col, i) => this.cellRuns(row[i] ?? '', col));
      const h = Math.max(...cells.map((runs, i) => this.runsHeight(runs, ws[i]! - 2 * pad))) + 2 * pad;
      if (this.doc.y + h > this.bottom) {
        this.doc.addPage();
        this.doc.y = MARGIN.top;
        header();
      }
      const y = this.doc.y;
      cells.forEach((runs, i) => {
        let ry = y + pad;
        for (const r of runs) {
          const w = ws[i]! - 2 * pad;
          this.font(r.font, r.size, r.color).write(r.text, xs[i]! + pad, ry + (r.font === 'mono' ? 0.8 : 0), w, {
            align: columns[i]!.align ?? 'left',
          });
          ry += this.height(r.text, r.font, r.size, w);
        }
      });
      this.doc
        .save()
        .moveTo(MARGIN.left, y + h)
        .lineTo(MARGIN.left + this.width, y + h)
        .lineWidth(0.3)
        .strokeColor(RULE)
        .stroke()
        .restore();
      this.doc.y = y + h;
    }
    this.doc.y += 6;
  }

  private findings(items: readonly FindingItem[]): void {
    const indent = 10;
    const w = this.width - indent;
    const labelW = 44;
    for (const f of items) {
      const head = `${f.code}   ${clip(f.location)}`;
      const msg = clip(f.message);
      const hHead = this.height(head, 'bold', 8, w - 52);
      const hMsg = this.height(msg, 'regular', 8, w);
      const hEv = f.evidence.map(([, v]) => this.height(clip(v), 'mono', 6.5, w - labelW));
      const h = hHead + 2 + hMsg + 2 + hEv.reduce((a, b) => a + b + 1, 0) + 6;
      this.room(h);
      const y0 = this.doc.y;
      const c = PALETTE[f.tone];
      this.doc
        .save()
        .rect(MARGIN.left, y0, 3, h - 6)
        .fill(c.fg)
        .restore();
      const x = MARGIN.left + indent;
      this.font('bold', 8, c.fg).write(f.severity, x, y0, 50);
      this.font('bold', 8, TEXT).write(head, x + 52, y0, w - 52);
      let y = y0 + hHead + 2;
      this.font('regular', 8, TEXT).write(msg, x, y, w);
      y += hMsg + 2;
      f.evidence.forEach(([k, v], i) => {
        this.font('regular', 7, MUTED).write(k, x, y, labelW - 4);
        this.font('mono', 6.5, TEXT).write(clip(v), x + labelW, y + 0.5, w - labelW);
        y += hEv[i]! + 1;
      });
      this.doc.y = y0 + h;
    }
  }

  /** Footer on every page: document label, report ID, page X of Y. Requires bufferPages. */
  footers(left: string, reportId: string): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      // Writing below the bottom margin would otherwise make PDFKit start a new page.
      const saved = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - FOOTER_Y_FROM_BOTTOM;
      this.doc
        .save()
        .moveTo(MARGIN.left, y - 4)
        .lineTo(MARGIN.left + this.width, y - 4)
        .lineWidth(0.4)
        .strokeColor(RULE)
        .stroke()
        .restore();
      this.font('regular', 7, MUTED).write(clip(left), MARGIN.left, y, this.width - 90);
      this.font('bold', 7, MUTED).write(
        `Page ${i + 1 - range.start} of ${range.count}`,
        MARGIN.left + this.width - 90,
        y,
        90,
        { align: 'right' },
      );
      this.font('regular', 6.5, MUTED).write('Report ID', MARGIN.left, y + 11, 40);
      this.font('mono', 6.5, MUTED).write(reportId, MARGIN.left + 40, y + 11.5, this.width - 40);
      this.doc.page.margins.bottom = saved;
    }
  }
}

let fontFiles: Record<FontName, Buffer> | undefined;
/** Parsed fonts (fontkit objects) kept across documents; see fontSource. */
const parsedFonts: Partial<Record<FontName, object>> = {};

function fontFile(name: FontName): Buffer {
  fontFiles ??= {
    regular: readFileSync(resourcePath('fonts', PDF_FONT_FILES.regular)),
    bold: readFileSync(resourcePath('fonts', PDF_FONT_FILES.bold)),
    mono: readFileSync(resourcePath('fonts', PDF_FONT_FILES.mono)),
  };
  return fontFiles[name];
}

/**
 * What to hand PDFKit for a font: the parsed font from an earlier document when there is one.
 * Parsing and decoding a TTF's tables is most of a report's render time (~0.6 s of ~0.7 s for
 * a short report), and PDFKit accepts a parsed font object in place of the file's bytes. Each
 * document still builds its own subset from it, so the output is the same either way (tested).
 */
function fontSource(name: FontName): Buffer | object {
  return parsedFonts[name] ?? fontFile(name);
}

/**
 * Selects each font once, in a fixed order, and keeps the parsed fonts for later documents.
 * Always run, cached or not: PDFKit numbers fonts (F1, F2, …) in the order they are first
 * selected, and those names are part of the output bytes.
 */
function selectFontsInOrder(doc: Doc): void {
  for (const name of ['regular', 'bold', 'mono'] as const) {
    doc.font(name);
    if (parsedFonts[name]) continue;
    // PDFKit keeps the current font as _font, wrapping the fontkit font as .font; if that ever
    // changes shape, fonts are simply parsed again for each document.
    const parsed = (doc as unknown as { _font?: { font?: { layout?: unknown } } })._font?.font;
    if (parsed && typeof parsed.layout === 'function') parsedFonts[name] = parsed;
  }
}

function attach(doc: Doc, a: Attachment, date: Date): void {
  doc.file(Buffer.from(a.bytes.buffer, a.bytes.byteOffset, a.bytes.byteLength), {
    name: a.name,
    type: a.mime,
    description: a.description,
    creationDate: date,
    modifiedDate: date,
  });
}

/** Renders `report` to PDF bytes. Same document, same bytes (see the module comment). */
export async function renderReportPdf(report: ReportDocument): Promise<Uint8Array> {
  const created = pdfDate(report.created);
  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    compress: false,
    bufferPages: true,
    autoFirstPage: true,
    pdfVersion: '1.7',
    lang: 'en',
    displayTitle: true,
    // The initial font: never let PDFKit fall back to a non-embedded standard font. PDFKit accepts
    // bytes or a parsed font here at run time; its typings only know paths.
    font: fontSource('regular') as unknown as string,
    info: {
      Title: report.title,
      Author: report.author,
      Subject: report.subject,
      Keywords: report.keywords,
      Creator: report.creator,
      Producer: report.creator,
      CreationDate: created,
      ModDate: created,
    },
  });
  for (const name of ['regular', 'bold', 'mono'] as const) doc.registerFont(name, fontSource(name) as Buffer);
  selectFontsInOrder(doc);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  const layout = new Layout(doc);
  doc.y = MARGIN.top;
  layout.title(report.title);
  for (const b of report.blocks) layout.block(b);
  layout.footers(report.footer, report.reportId);
  for (const a of report.attachments) attach(doc, a, created);
  doc.end();
  return done;
}
