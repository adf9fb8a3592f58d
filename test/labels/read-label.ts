// Reads labels back as a person or a scanner would: poppler's pdftotext, pdfinfo and pdftoppm
// (Debian's poppler-utils; .ci/run installs it) and the ZXing Code 128 decoder.
import { BarcodeFormat, BinaryBitmap, DecodeHintType, HybridBinarizer, MultiFormatReader, RGBLuminanceSource } from "@zxing/library";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

async function withPdfFile<T>(pdf: Buffer, use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), "label-"));
  try {
    const file = path.join(dir, "label.pdf");
    await writeFile(file, pdf);
    return await use(file, dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") throw new Error("poppler-utils is missing: apt-get install -y poppler-utils", { cause: error });
    throw error;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The PDF's text as a PDF reader extracts it, one line per printed line. */
export function pdfText(pdf: Buffer): Promise<string> {
  return withPdfFile(pdf, async (file) => (await run("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"])).stdout);
}

/** pdfinfo's fields: "Pages", "Page size", "CreationDate", … */
export function pdfInfo(pdf: Buffer): Promise<Record<string, string>> {
  return withPdfFile(pdf, async (file) => {
    const { stdout } = await run("pdfinfo", ["-isodates", file]);
    return Object.fromEntries(stdout.split("\n").filter(Boolean).map((line) => {
      const colon = line.indexOf(":");
      return [line.slice(0, colon), line.slice(colon + 1).trim()];
    }));
  });
}

/** The page rendered at 203 dpi (a label printer's resolution), grey. */
export function renderPage(pdf: Buffer): Promise<{ width: number; height: number; pixels: Uint8ClampedArray }> {
  return withPdfFile(pdf, async (file, dir) => {
    await run("pdftoppm", ["-r", "203", "-gray", "-singlefile", file, path.join(dir, "page")]);
    return parsePgm(await readFile(path.join(dir, "page.pgm")));
  });
}

// binary PGM: "P5", width, height, max value, then one byte per pixel
function parsePgm(data: Buffer): { width: number; height: number; pixels: Uint8ClampedArray } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(data.subarray(0, 64).toString("latin1"));
  if (!header) throw new Error("pdftoppm did not write a binary PGM");
  const [whole, width, height] = header;
  return { width: Number(width), height: Number(height), pixels: new Uint8ClampedArray(data.subarray(whole.length)) };
}

/** The Code 128 barcode ZXing finds on the rendered page. */
export async function decodeBarcode(pdf: Buffer): Promise<string> {
  const { width, height, pixels } = await renderPage(pdf);
  const reader = new MultiFormatReader();
  const hints = new Map<DecodeHintType, unknown>([
    [DecodeHintType.POSSIBLE_FORMATS, [BarcodeFormat.CODE_128]],
    [DecodeHintType.TRY_HARDER, true],
  ]);
  return reader.decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(pixels, width, height))), hints).getText();
}

/** A ZPL document's commands, e.g. ["^XA", "^CI28", "^FO40,40", "^FDLineten", …]: every ^ or ~ starts one. */
export function zplCommands(zpl: string): string[] {
  return zpl.replace(/\n/g, "").split(/(?=[\^~])/);
}

/** Each field's data, with ^FH's hex escapes (_XX, a byte) undone, as the printer reads it (UTF-8 with ^CI28). */
export function zplFieldData(zpl: string): string[] {
  return zplCommands(zpl)
    .filter((command) => command.startsWith("^FD"))
    .map((command) => {
      const raw = Buffer.from(command.slice(3), "utf8");
      const bytes: number[] = [];
      for (let i = 0; i < raw.length; i++) {
        const hex = raw.subarray(i + 1, i + 3).toString("latin1");
        if (raw[i] === 0x5f && /^[0-9A-F]{2}$/.test(hex)) {
          bytes.push(parseInt(hex, 16));
          i += 2;
        } else bytes.push(raw[i]);
      }
      return Buffer.from(bytes).toString("utf8");
    });
}
