/**
 * The tests' PDF text reader (test/e2e/support/pdf-text.ts): a hand-built PDF with a Type0 font
 * whose ToUnicode CMap uses bfchar, bfrange (incrementing and array forms) and a ligature, a
 * Type3 font with 1-byte codes; and a page with Chinese text printed by Debian's headless
 * Chromium (needs a CJK font installed: fonts-wqy-microhei, see .ci/run).
 */
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_FLAGS } from './support/browser';
import { compactText, parseToUnicode, readPdf } from './support/pdf-text';

jest.setTimeout(60_000);

/** A one-page PDF; objects numbered from 1 in order; streams Flate-compressed. */
function buildPdf(objects: (string | { dict: string; data: string })[]): Buffer {
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  objects.forEach((o, i) => {
    if (typeof o === 'string') parts.push(Buffer.from(`${i + 1} 0 obj\n${o}\nendobj\n`, 'latin1'));
    else {
      const z = zlib.deflateSync(Buffer.from(o.data, 'latin1'));
      parts.push(Buffer.from(`${i + 1} 0 obj\n<< ${o.dict} /Filter /FlateDecode /Length ${z.length} >>\nstream\n`, 'latin1'), z, Buffer.from('\nendstream\nendobj\n', 'latin1'));
    }
  });
  parts.push(Buffer.from('trailer\n<< /Root 1 0 R >>\n%%EOF\n', 'latin1'));
  return Buffer.concat(parts);
}

const CMAP = `/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <0000> <FFFF> endcodespacerange
3 beginbfchar
<0003> <0020>
<0010> <77E5>
<0011> <6653>
endbfchar
3 beginbfrange
<0020> <0029> <0030>
<0040> <0042> [<7387> <0025> <00660069>]
<0050> <0051> <D840DC00>
endbfrange
endcmap CMapName currentdict /CMap defineresource pop end end`;

describe('ToUnicode CMaps', () => {
  it('bfchar, incrementing bfrange, array bfrange, ligatures and surrogate pairs', () => {
    const m = parseToUnicode(CMAP);
    expect(m.get(0x10)).toBe('知');
    expect(m.get(0x11)).toBe('晓');
    expect(m.get(0x20)).toBe('0');
    expect(m.get(0x29)).toBe('9');
    expect(m.has(0x2a)).toBe(false);
    expect(m.get(0x40)).toBe('率');
    expect(m.get(0x41)).toBe('%');
    expect(m.get(0x42)).toBe('fi');
    expect(m.get(0x50)).toBe('\u{20000}');
    expect(m.get(0x51)).toBe('\u{20001}');
  });
});

describe('readPdf on a hand-built PDF', () => {
  const content = [
    'BT /F1 12 Tf 1 0 0 1 72 700 Tm <00100011> Tj ET', // 知晓
    'BT /F1 12 Tf 1 0 0 1 96 700 Tm <0040> Tj ET', // 率 — same baseline, next run
    'BT /F2 12 Tf 1 0 0 1 108 700 Tm [<0029> -20 <0024>] TJ ET', // 94 in another font, TJ array
    'BT /F1 12 Tf 1 0 0 1 72 680 Tm <004100030042> Tj ET', // "% fi" on the next line
    'BT /F3 12 Tf 1 0 0 1 72 660 Tm <8930> Tj ET', // a Type3 font (Chromium's synthetic bold): 1-byte codes
  ].join('\n');
  const pdf = buildPdf([
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595.28 841.89] /Resources << /Font << /F1 5 0 R /F2 6 0 R /F3 8 0 R >> >> /Contents 4 0 R >>',
    { dict: '', data: content },
    '<< /Type /Font /Subtype /Type0 /BaseFont /AAAAAA+WenQuanYiMicroHei /Encoding /Identity-H /ToUnicode 7 0 R >>',
    '<< /Type /Font /Subtype /Type0 /BaseFont /BBBBBB+Latin /Encoding /Identity-H /ToUnicode 7 0 R >>',
    { dict: '', data: CMAP },
    '<< /Type /Font /Subtype /Type3 /FontMatrix [.001 0 0 .001 0 0] /FirstChar 0 /LastChar 255 /ToUnicode 9 0 R >>',
    { dict: '', data: '1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar <89> <7EA2> <30> <661F> endbfchar' },
  ]);

  it('decodes the CID strings through the font of each run, one line per baseline', () => {
    const pages = readPdf(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.mediaBox).toEqual([0, 0, 595.28, 841.89]);
    expect(pages[0]!.text).toBe('知晓 率 94\n% fi\n红星\n');
    expect(compactText(pages[0]!.text)).toBe('知晓率94%fi红星');
  });

  it('a font without ToUnicode yields no text rather than wrong text', () => {
    const noMap = pdf.toString('latin1').replace('/BaseFont /BBBBBB+Latin /Encoding /Identity-H /ToUnicode 7 0 R', '/BaseFont /BBBBBB+Latin /Encoding /Identity-H');
    expect(compactText(readPdf(Buffer.from(noMap, 'latin1'))[0]!.text)).toBe('知晓率%fi红星');
  });
});

describe('readPdf on Chromium print-to-PDF output', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('a CJK font is installed (fonts-wqy-microhei, .ci/run)', () => {
    expect(execFileSync('fc-list', [':lang=zh', 'family'], { encoding: 'utf8' }).trim()).not.toBe('');
  });

  it('reads back Chinese, digits and symbols, across font runs and line wraps', async () => {
    const page = await browser.newPage();
    const sentence = '本年度共调查 192 人次,人口计生知识知晓率为 94.8%(95%置信区间 90.1%–97.0%),目标 ≥98%;统计上无法判定·样本不足。';
    // a narrow column forces the sentence to wrap over several lines
    await page.setContent(`<html lang="zh-CN"><body><h1>红星乡工作报告</h1><p style="width: 9em">${sentence}</p><p style="break-before: page">第二页 Page 2</p></body></html>`);
    const pdf = await page.pdf({ format: 'A4' });
    await page.close();
    const pages = readPdf(pdf);
    expect(pages).toHaveLength(2);
    expect(pages[0]!.text).toContain('红星乡工作报告');
    expect(pages[0]!.text.split('\n').length).toBeGreaterThan(4); // wrapped
    expect(compactText(pages[0]!.text)).toContain(compactText(sentence));
    expect(compactText(pages[1]!.text)).toBe('第二页Page2');
  });
});
