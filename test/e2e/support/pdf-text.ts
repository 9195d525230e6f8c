/**
 * Just enough PDF reading for tests of Chromium's print-to-PDF output (Skia): page sizes, and
 * the text of each page decoded through the fonts' ToUnicode CMaps. No dependencies beyond zlib.
 * Not a general PDF parser: it handles what Chromium writes (plain indirect objects, Flate
 * streams, Type0/CID fonts with 2-byte glyph ids, hex strings in Tj/TJ).
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

/** glyph id (hex) → text, from a ToUnicode CMap */
function parseCMap(cmap: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexToStr = (hex: string) => {
    let s = '';
    for (let i = 0; i + 4 <= hex.length; i += 4) s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return s;
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const p of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(parseInt(p[1]!, 16), hexToStr(p[2]!));
  }
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const p of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
      const lo = parseInt(p[1]!, 16);
      const hi = parseInt(p[2]!, 16);
      const base = parseInt(p[3]!, 16);
      for (let g = lo; g <= hi; g++) map.set(g, String.fromCharCode(base + (g - lo)));
    }
  }
  return map;
}

const ref = (dict: string, key: string): number | null => {
  const m = new RegExp(`/${key}\\s+(\\d+) 0 R`).exec(dict);
  return m ? Number(m[1]) : null;
};

export interface PdfPage {
  /** [x0, y0, x1, y1] in points */
  mediaBox: number[];
  text: string;
}

/** The pages of a PDF with their size and decoded text. */
export function readPdf(pdf: Buffer): PdfPage[] {
  const objs = parseObjects(pdf);
  const cmaps = new Map<number, Map<number, string>>();
  const fontMap = (fontObj: number): Map<number, string> | null => {
    if (cmaps.has(fontObj)) return cmaps.get(fontObj)!;
    const o = objs.get(fontObj);
    const tu = o ? ref(o.dict, 'ToUnicode') : null;
    const cm = tu !== null ? objs.get(tu)?.stream : null;
    const map = cm ? parseCMap(cm.toString('latin1')) : null;
    if (map) cmaps.set(fontObj, map);
    return map;
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
      let map: Map<number, string> | null = null;
      // font switches, hex strings and text-object ends, in order
      for (const tok of content.matchAll(/\/([A-Za-z0-9_.+-]+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f\s]*)>|\bET\b/g)) {
        if (tok[1] !== undefined) {
          const fr = fontRefs.get(tok[1]);
          map = fr !== undefined ? fontMap(fr) : null;
        } else if (tok[2] !== undefined) {
          const hex = tok[2].replace(/\s+/g, '');
          for (let i = 0; i + 4 <= hex.length; i += 4) text += map?.get(parseInt(hex.slice(i, i + 4), 16)) ?? '';
        } else {
          text += ' ';
        }
      }
    }
    pages.push({ mediaBox: mb ? mb[1]!.trim().split(/\s+/).map(Number) : [], text });
  }
  return pages;
}
