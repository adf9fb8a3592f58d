import { LRUCache } from "lru-cache";
import type { LabelData, LabelFormat } from "./label.data";
import { renderPdf } from "./label.pdf";
import { renderZpl } from "./label.zpl";

export const LABEL_FORMATS: readonly LabelFormat[] = ["pdf", "zpl"];

export const CONTENT_TYPES: Record<LabelFormat, string> = {
  pdf: "application/pdf",
  zpl: "text/plain; charset=utf-8",
};

// about 2,000 recent labels (a PDF is ≈ 3.5 kB)
const RENDERED_BYTES = 8 * 1024 * 1024;

// keyed by everything a label prints: the same key is the same bytes, whoever asks
const rendered = new LRUCache<string, Buffer>({ maxSize: RENDERED_BYTES, sizeCalculation: (content, key) => content.length + key.length });

/** The label's bytes; a label is byte-stable, so one printed again (reprint, preview, then print) is not drawn again. */
export async function renderLabel(format: LabelFormat, label: LabelData): Promise<Buffer> {
  const key = `${format} ${JSON.stringify(label)}`;
  const cached = rendered.get(key);
  if (cached) return cached;
  const content = format === "pdf" ? await renderPdf(label) : Buffer.from(renderZpl(label), "utf8");
  rendered.set(key, content);
  return content;
}
