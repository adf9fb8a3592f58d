import type { LabelData, LabelFormat } from "./label.data";
import { renderPdf } from "./label.pdf";
import { renderZpl } from "./label.zpl";

export const LABEL_FORMATS: readonly LabelFormat[] = ["pdf", "zpl"];

export const CONTENT_TYPES: Record<LabelFormat, string> = {
  pdf: "application/pdf",
  zpl: "text/plain; charset=utf-8",
};

export async function renderLabel(format: LabelFormat, label: LabelData): Promise<Buffer> {
  return format === "pdf" ? renderPdf(label) : Buffer.from(renderZpl(label), "utf8");
}
