import { code128, modulesOf } from "./barcode";
import type { LabelData } from "./label.data";

// 4 × 6 inches at 203 dpi
export const DOTS = { width: 812, height: 1218 } as const;
const MARGIN = 40;
const WIDTH = DOTS.width - 2 * MARGIN;
const BARCODE_HEIGHT = 180;

/** The label in ZPL II: UTF-8 (^CI28), every field hex-escaped with ^FH so that data cannot be read as commands. */
export function renderZpl(label: LabelData): string {
  const out = ["^XA", "^CI28", `^PW${DOTS.width}`, `^LL${DOTS.height}`, "^LH0,0"];
  let y = MARGIN;
  const text = (value: string, height: number) => {
    out.push(field(MARGIN, y, height, value));
    y += Math.round(height * 1.25);
  };
  const rule = () => {
    out.push(`^FO${MARGIN},${y + 6}^GB${WIDTH},3,3^FS`);
    y += 20;
  };

  text(label.carrierName, 56);
  text(label.serviceName, 30);
  rule();
  text("TO", 22);
  for (const line of label.destination) text(line, 34);
  rule();
  text("FROM", 22);
  // the sender on two wrapped lines at most, as on the PDF
  out.push(field(MARGIN, y, 22, label.origin.join(", "), `^FB${WIDTH},2,4,L`));
  y += 56;
  rule();

  const module = Math.max(2, Math.min(4, Math.floor(WIDTH / (modulesOf(code128(label.trackingReference)) + 20))));
  // ^BC draws Code 128 and prints the reference below it (the interpretation line)
  out.push(`^FO${MARGIN + 20},${y + 10}^BY${module}^BCN,${BARCODE_HEIGHT},Y,N,N,A^FH^FD${escape(label.trackingReference)}^FS`);
  y += BARCODE_HEIGHT + 60;
  rule();
  text(`Shipment ${label.shipmentReference}`, 24);
  out.push(field(MARGIN, y, 30, `Weight ${label.weight}`));
  // a field block of the whole width, right-aligned
  out.push(field(MARGIN, y, 30, `Date ${label.date}`, `^FB${WIDTH},1,0,R`));
  out.push("^XZ");
  return `${out.join("\n")}\n`;
}

// scalable font 0; longer text than the label is wide is cut off by the printer
function field(x: number, y: number, height: number, value: string, block = ""): string {
  return `^FO${x},${y}^A0N,${height},${height}${block}^FH^FD${escape(value)}^FS`;
}

// with ^FH, _XX is a byte in hex: _ itself, and ^ and ~ (command prefixes), must be written that way
function escape(value: string): string {
  return value.replace(/[_^~]/g, (char) => `_${char.charCodeAt(0).toString(16).toUpperCase()}`);
}
