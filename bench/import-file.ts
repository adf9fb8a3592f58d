// node dist/bench/import-file.js <file> <shipments>: writes the demo catalogue (no shipments) and that many generated
// shipments (about 420 bytes each: 480,000 make 200 MB), for measuring `npm run import` on a large file.
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { loadDemoDataset } from "../src/import/demo";

function shipment(i: number): string {
  const reference = `sp_9${String(i).padStart(31, "0")}`;
  return JSON.stringify({
    account: i % 2 ? "northwind" : "demo",
    reference,
    shipmentType: i % 3 ? "on_demand" : "scheduled",
    origin: { countryIsoCode: "GB", postalCode: "EC1A 1BB" },
    destination: { countryIsoCode: i % 5 ? "GB" : "FR", postalCode: i % 5 ? "SW1A 1AA" : "75001" },
    tags: ["generated"],
    contents: [
      { weightKg: `${1 + (i % 20)}.${i % 10}`, value: { amount: `${10 + (i % 90)}.00`, currency: "GBP" }, quantity: 1 + (i % 3) },
      { weightKg: "0.5", dimensionsCm: { length: "30", width: "20", height: "10" }, value: { amount: "5.00", currency: "GBP" } },
    ],
  });
}

/** Writes the file as it goes: the writer never holds the data set. */
export async function writeImportFile(file: string, shipments: number): Promise<void> {
  const { shipments: _demoShipments, ...catalogue } = await loadDemoDataset();
  const out = createWriteStream(file);
  out.write(`${JSON.stringify(catalogue).slice(0, -1)},"shipments":[\n`);
  for (let i = 0; i < shipments; i++) {
    if (!out.write(`${i ? ",\n" : ""}${shipment(i)}`)) await once(out, "drain");
  }
  out.end("\n]}\n");
  await once(out, "finish");
}

if (require.main === module) {
  const [file, count] = process.argv.slice(2);
  if (!file || !(Number(count) > 0)) throw new Error("Usage: node dist/bench/import-file.js <file> <shipments>");
  void writeImportFile(file, Number(count));
}
