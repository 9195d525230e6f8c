/**
 * Just enough PDF reading for tests of Chromium's print-to-PDF output (Skia): page sizes, and
 * the text of each page decoded through the fonts' ToUnicode CMaps. No dependencies beyond zlib.
 * Not a general PDF parser: it handles what Chromium writes (plain indirect objects, Flate
 * streams, Type0/CID fonts with 2-byte glyph ids, Type3 fonts with 1-byte codes (synthetic
 * bold), hex strings in Tj/TJ).
 */
import zlib from 'node:zlib';

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function parseObjects(pdf: Buffer): Map<number, PdfObject> {
  const text = pdf.toString('latin1');
  const out = new Map<number, PdfObject>();
  const re = /(\d+) 0 obj\s*/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const num = Number(m[1]);
    const start = m.index + m[0].length;
    const end = text.indexOf('endobj', start);
    if (end < 0) break;
    const body = text.slice(start, end);
    const si = body.indexOf('stream');
    let dict = body;
    let stream: Buffer | null = null;
    if (si >= 0 && /^\s*<</.test(body)) {
      dict = body.slice(0, si);
      let dataStart = start + si + 'stream'.length;
      if (text[dataStart] === '\r') dataStart++;
      if (text[dataStart] === '\n') dataStart++;
      const lenMatch = /\/Length (\d+)(?! 0 R)/.exec(dict);
      const dataEnd = lenMatch ? dataStart + Number(lenMatch[1]) : text.lastIndexOf('endstream', end);
      const raw = pdf.subarray(dataStart, dataEnd);
      try {
        stream = /\/FlateDecode/.test(dict) ? zlib.inflateSync(raw) : raw;
      } catch {
        stream = raw;
      }
    }
    out.set(num, { dict, stream });
    re.lastIndex = end;
  }
  return out;
}

/** UTF-16BE hex ("4E2D", "D840DC00", "00660069") → string */
function utf16beHex(hex: string): string {
  let s = '';
  for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
  return s;
}

/**
 * glyph id → text, from a ToUnicode CMap: `beginbfchar` pairs `<gid> <utf16be>`, and
 * `beginbfrange` as `<lo> <hi> <utf16be>` (the destination's last UTF-16 unit counts up, so a
 * ligature "fi" range works) or `<lo> <hi> [<utf16be> …]` (one destination per glyph).
 */
export function parseToUnicode(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const p of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) map.set(parseInt(p[1]!, 16), utf16beHex(p[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const p of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(?:<([0-9A-Fa-f]+)>|\[([^\]]*)\])/g)) {
      const lo = parseInt(p[1]!, 16);
      const hi = parseInt(p[2]!, 16);
      if (hi < lo || hi - lo > 0xffff) continue;
      if (p[3] !== undefined) {
        const dst = utf16beHex(p[3]);
        const head = dst.slice(0, -1);
        const last = dst.charCodeAt(dst.length - 1);
        for (let g = lo; g <= hi; g++) map.set(g, head + String.fromCharCode(last + (g - lo)));
      } else {
        const dsts = [...(p[4] ?? '').matchAll(/<([0-9A-Fa-f]*)>/g)].map((d) => utf16beHex(d[1]!));
        dsts.forEach((d, i) => { if (lo + i <= hi) map.set(lo + i, d); });
      }
    }
  }
  return map;
}

/**
 * The text with every whitespace removed: Chromium splits a line into runs per font (Latin
 * digits and CJK come from different fonts) and wraps paragraphs anywhere, so "95%置信区间"
 * may be read as "95% 置信区间" or broken over two lines. Compare compacted text with compacted
 * expectations.
 */
export function compactText(text: string): string {
  return text.replace(/\s+/g, '');
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

export interface PdfPage {
  /** [x0, y0, x1, y1] in points */
  mediaBox: number[];
  /** the decoded text: one line per baseline, a space between runs on a line (see compactText) */
  text: string;
}

/** The pages of a PDF with their size and decoded text. */
export function readPdf(pdf: Buffer): PdfPage[] {
  const objs = parseObjects(pdf);
  interface FontDecoder {
    map: Map<number, string>;
    /** bytes per character code: 2 for Type0 (CID, Identity-H), 1 for simple and Type3 fonts */
    bytes: 1 | 2;
  }
  const decoders = new Map<number, FontDecoder | null>();
  const fontDecoder = (fontObj: number): FontDecoder | null => {
    if (decoders.has(fontObj)) return decoders.get(fontObj)!;
    const o = objs.get(fontObj);
    const tu = o ? ref(o.dict, 'ToUnicode') : null;
    const cm = tu !== null ? objs.get(tu)?.stream : null;
    // Chromium draws synthetic bold (CJK fonts have no bold face) with Type3 fonts of 1-byte codes
    const dec: FontDecoder | null = o && cm ? { map: parseToUnicode(cm.toString('latin1')), bytes: /\/Subtype\s*\/Type0/.test(o.dict) ? 2 : 1 } : null;
    decoders.set(fontObj, dec);
    return dec;
  };
  const resolveDict = (dict: string, key: string): string => {
    const r = ref(dict, key);
    if (r !== null) return objs.get(r)?.dict ?? '';
    const i = dict.indexOf(`/${key}`);
    if (i < 0) return '';
    // an inline dictionary: take the balanced << … >>
    let depth = 0;
    let j = dict.indexOf('<<', i);
    const from = j;
    for (; j < dict.length; j++) {
      if (dict.startsWith('<<', j)) { depth++; j++; } else if (dict.startsWith('>>', j)) { depth--; j++; if (depth === 0) break; }
    }
    return dict.slice(from, j + 1);
  };
  const pages: PdfPage[] = [];
  for (const [, o] of objs) {
    if (!/\/Type\s*\/Page(?!s)/.test(o.dict)) continue;
    const mb = /\/MediaBox\s*\[([^\]]+)\]/.exec(o.dict);
    const resources = resolveDict(o.dict, 'Resources');
    const fonts = resolveDict(resources, 'Font');
    const fontRefs = new Map<string, number>();
    for (const f of fonts.matchAll(/\/([A-Za-z0-9_.+-]+)\s+(\d+) 0 R/g)) fontRefs.set(f[1]!, Number(f[2]));
    const contentRefs: number[] = [];
    const single = ref(o.dict, 'Contents');
    if (single !== null) contentRefs.push(single);
    else for (const c of (/\/Contents\s*\[([^\]]*)\]/.exec(o.dict)?.[1] ?? '').matchAll(/(\d+) 0 R/g)) contentRefs.push(Number(c[1]));
    let text = '';
    for (const c of contentRefs) {
      const content = objs.get(c)?.stream?.toString('latin1') ?? '';
      let font: FontDecoder | null = null;
      let lineY: string | null = null;
      // font switches, text matrices (a new baseline starts a new line), hex strings (Tj and the
      // strings of TJ arrays) and text-object ends (a run boundary on the same line: a space)
      const tokens = /\/([A-Za-z0-9_.+-]+)\s+[-\d.]+\s+Tf|[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+[-\d.]+\s+([-\d.]+)\s+Tm|<([0-9A-Fa-f\s]*)>|\bET\b/g;
      for (const tok of content.matchAll(tokens)) {
        if (tok[1] !== undefined) {
          const fr = fontRefs.get(tok[1]);
          font = fr !== undefined ? fontDecoder(fr) : null;
        } else if (tok[2] !== undefined) {
          if (lineY !== null && tok[2] !== lineY && text !== '' && !text.endsWith('\n')) text = `${text.replace(/ $/, '')}\n`;
          lineY = tok[2];
        } else if (tok[3] !== undefined) {
          const hex = tok[3].replace(/\s+/g, '');
          const w = (font?.bytes ?? 2) * 2;
          for (let i = 0; i + w <= hex.length; i += w) text += font?.map.get(parseInt(hex.slice(i, i + w), 16)) ?? '';
        } else if (text !== '' && !/\s$/.test(text)) {
          text += ' ';
        }
      }
      if (text !== '' && !text.endsWith('\n')) text = `${text.replace(/ $/, '')}\n`;
    }
    pages.push({ mediaBox: mb ? mb[1]!.trim().split(/\s+/).map(Number) : [], text });
  }
  return pages;
}
