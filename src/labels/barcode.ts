import bwipjs from "bwip-js";

/** Code 128 of text as bar and space widths in modules, bar first (bwip-js encodes; each format draws). */
export function code128(text: string): number[] {
  const [symbol] = bwipjs.raw("code128", text, {}) as { sbs: number[] }[];
  if (!symbol) throw new Error(`bwip-js encoded no Code 128 symbol for ${JSON.stringify(text)}`);
  return symbol.sbs;
}

export function modulesOf(widths: number[]): number {
  return widths.reduce((sum, width) => sum + width, 0);
}
