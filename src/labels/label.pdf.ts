import PDFDocument from "pdfkit";
import { code128, modulesOf } from "./barcode";
import type { LabelData } from "./label.data";

// 4 × 6 inches in PDF points
export const PAGE = { width: 288, height: 432 } as const;
const MARGIN = 14;
const WIDTH = PAGE.width - 2 * MARGIN;
const BARCODE = { height: 90, maxModule: 2.2, quietModules: 10 } as const;
// the barcode block and the footer sit at the bottom; the addresses (at most 9 + 7 lines) fit above
const FOOTER_TOP = PAGE.height - MARGIN - 24;
const BARCODE_TOP = FOOTER_TOP - 12 - 20 - BARCODE.height;
// one font, bold throughout (as thermal labels print): pdfkit builds a standard font's metrics anew in every
// document, which was the larger part of a label's rendering time with a second one
const FONT = "Helvetica-Bold";

/** The label as one PDF page; byte-stable: the creation date is the allocation's, nothing else varies. */
export function renderPdf(label: LabelData): Promise<Buffer> {
  const doc = new PDFDocument({
    size: [PAGE.width, PAGE.height],
    margin: 0,
    font: FONT,
    // a few kB more on the wire, and no deflate stream (with its zlib state) set up per label
    compress: false,
    info: { Title: `Label ${label.trackingReference}`, CreationDate: label.allocatedAt, ModDate: label.allocatedAt },
  });
  const chunks: Buffer[] = [];
  doc.on("data", (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  draw(doc, label);
  doc.end();
  return done;
}

function draw(doc: PDFKit.PDFDocument, label: LabelData): void {
  let y = MARGIN;
  y = line(doc, label.carrierName, y, { size: 20 });
  y = line(doc, label.serviceName, y, { size: 10 });
  y = rule(doc, y + 4);

  y = line(doc, "TO", y, { size: 7 });
  // the addressee a size larger: the font alone no longer sets it apart
  label.destination.forEach((text, i) => {
    y = line(doc, text, y, { size: i === 0 ? 13 : 11 });
  });
  y = rule(doc, y + 4);

  y = line(doc, "FROM", y, { size: 7 });
  doc.fontSize(8).text(label.origin.join(", "), MARGIN, y, { width: WIDTH, height: 30, ellipsis: true });
  rule(doc, y + 32);

  y = barcode(doc, label.trackingReference, BARCODE_TOP);
  line(doc, label.trackingReference, y + 3, { size: 14, align: "center" });

  y = rule(doc, FOOTER_TOP - 6);
  y = line(doc, `Shipment ${label.shipmentReference}`, y, { size: 8 });
  line(doc, `Weight ${label.weight}`, y, { size: 10 });
  line(doc, `Date ${label.date}`, y, { size: 10, align: "right" });
}

interface TextStyle {
  size: number;
  align?: "left" | "center" | "right";
}

// one line, cut with an ellipsis when it is too long; returns where the next line starts
function line(doc: PDFKit.PDFDocument, text: string, y: number, style: TextStyle): number {
  const height = style.size * 1.25;
  doc.fontSize(style.size).text(text, MARGIN, y, { width: WIDTH, height, ellipsis: true, align: style.align ?? "left" });
  return y + height;
}

function rule(doc: PDFKit.PDFDocument, y: number): number {
  doc.moveTo(MARGIN, y).lineTo(PAGE.width - MARGIN, y).lineWidth(1).stroke("#000000");
  return y + 5;
}

// vector bars, centred, with their quiet zones inside the margins
function barcode(doc: PDFKit.PDFDocument, text: string, y: number): number {
  const widths = code128(text);
  const module = Math.min(BARCODE.maxModule, WIDTH / (modulesOf(widths) + 2 * BARCODE.quietModules));
  let x = (PAGE.width - modulesOf(widths) * module) / 2;
  widths.forEach((width, i) => {
    if (i % 2 === 0) doc.rect(x, y, width * module, BARCODE.height);
    x += width * module;
  });
  doc.fill("#000000");
  return y + BARCODE.height;
}
