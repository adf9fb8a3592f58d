// Rule numbers: docs/allocation-rules.md
// Rule 20: the label links work: GET /labels/{ref}/pdf and /zpl, and Allocation.label(format).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importDataset } from "../../src/store/import-dataset";
import { allocateMutation, NORTHWIND_SHIPMENT, sp } from "../api/api";
import { addToDemo, onDemandShipments } from "../batching/datasets";
import { DEMO_KEY, NORTHWIND_KEY, startHttpServer, type HttpTestServer } from "../support/server";
import { describeStores, type DemoStore } from "../support/stores";
import { decodeBarcode, pdfInfo, pdfText, zplCommands, zplFieldData } from "./read-label";

const EXAMPLE = sp(912);
const ACCENTED = "sp_label_0000";

interface LabelResponse {
  status: number;
  contentType: string | null;
  body: Buffer;
}

const LABEL_QUERY = `query ($ref: ID!, $format: LabelFormat!) {
  shipment(reference: $ref) { allocation { allocationDate label(format: $format) { format contentType content } } }
}`;

describeStores("rule 20: labels", (open) => {
  let store: DemoStore;
  let server: HttpTestServer;
  let tracking: string;
  let date: string;
  let voidedRef: string;

  async function get(path: string, headers: Record<string, string> = { "x-api-key": DEMO_KEY }): Promise<LabelResponse> {
    const response = await fetch(`http://localhost:${server.port}${path}`, { headers });
    return { status: response.status, contentType: response.headers.get("content-type"), body: Buffer.from(await response.arrayBuffer()) };
  }

  async function allocate(shipmentRef: string, ref: string, apiKey = DEMO_KEY) {
    const response = await server.post(allocateMutation("virtual"), { shipmentRef, ref }, { "x-api-key": apiKey });
    expect(response.body.data?.result.state).toBe("ALLOCATED");
    return response.body.data!.result;
  }

  beforeAll(async () => {
    store = await open();
    server = await startHttpServer(store);
    const [accented, voided] = onDemandShipments("sp_label", 2);
    voidedRef = voided.reference;
    await importDataset(
      store,
      addToDemo({
        shipments: [
          {
            ...accented,
            destination: {
              name: "Amélie Dupré",
              company: "Crème & Château Ltd",
              lines: ["Flat ^1 ~ B_2", "Øresund House, Straße Lane"],
              city: "Édinburgh",
              region: "Midlothian",
              postalCode: "EH1 1YZ",
              countryIsoCode: "GB",
            },
          },
          voided,
        ],
      }),
    );
    tracking = (await allocate(EXAMPLE, "FF_LINET-00001")).trackingDetails.shipment.trackingReferences[0];
    await allocate(ACCENTED, "FF_LINET-00001");
    await allocate(NORTHWIND_SHIPMENT, "NW-00001", NORTHWIND_KEY);
    const shipment = await server.post(LABEL_QUERY, { ref: EXAMPLE, format: "ZPL" });
    date = shipment.body.data!.shipment.allocation.allocationDate.slice(0, 10);
  });
  afterAll(async () => {
    await server?.stop();
    await store?.dropDatabase();
  });

  describe("the documented example's label", () => {
    it("PDF: one 4 × 6 inch page showing carrier, service, tracking and shipment references, both addresses, weight and date as text", async () => {
      const response = await get(`/labels/${EXAMPLE}/pdf`);

      expect(response.status).toBe(200);
      expect(response.contentType).toBe("application/pdf");
      const info = await pdfInfo(response.body);
      expect(info.Pages).toBe("1");
      expect(info["Page size"]).toBe("288 x 432 pts");
      const text = (await pdfText(response.body)).replace(/\s+/g, " ");
      for (const shown of [
        "Lineten",
        "Lineten - Standard On Demand",
        tracking,
        `Shipment ${EXAMPLE}`,
        "Olivia Bennett Flat 4 27 Palace Street London SW1A 1AA United Kingdom",
        "Despatch, Hartley & Finch Ltd, Unit 3, Bartholomew Yard, King Edward Street, London, EC1A 1BB, United Kingdom",
        "Weight 1.2 kg",
        `Date ${date}`,
      ]) {
        expect(text).toContain(shown);
      }
    });

    it("PDF: the Code 128 barcode, rendered at 203 dpi and scanned, reads the tracking reference", async () => {
      const response = await get(`/labels/${EXAMPLE}/pdf`);

      expect(tracking).toBe("19297253");
      expect(await decodeBarcode(response.body)).toBe(tracking);
    });

    it("ZPL: II for a 4 × 6 inch label at 203 dpi, UTF-8, the same content, the barcode drawn with ^BC", async () => {
      const response = await get(`/labels/${EXAMPLE}/zpl`);

      expect(response.status).toBe(200);
      expect(response.contentType).toBe("text/plain; charset=utf-8");
      const zpl = response.body.toString("utf8");
      const commands = zplCommands(zpl);
      expect(commands.slice(0, 4)).toEqual(["^XA", "^CI28", "^PW812", "^LL1218"]);
      expect(commands.at(-1)?.trim()).toBe("^XZ");
      const barcode = commands.findIndex((command) => command.startsWith("^BC"));
      expect(commands.slice(barcode, barcode + 3)).toEqual(["^BCN,180,Y,N,N,A", "^FH", `^FD${tracking}`]);
      expect(zplFieldData(zpl)).toEqual(
        expect.arrayContaining([
          "Lineten",
          "Lineten - Standard On Demand",
          tracking,
          `Shipment ${EXAMPLE}`,
          ...["Olivia Bennett", "Flat 4", "27 Palace Street", "London", "SW1A 1AA", "United Kingdom"],
          "Despatch, Hartley & Finch Ltd, Unit 3, Bartholomew Yard, King Edward Street, London, EC1A 1BB, United Kingdom",
          "Weight 1.2 kg",
          `Date ${date}`,
        ]),
      );
      // with ^FH, the _ of the shipment reference is written as its hex escape
      expect(zpl).toContain(`^FDShipment ${EXAMPLE.replace("_", "_5F")}^FS`);
    });

    it("is byte-stable: the same allocation gives the same bytes, and the PDF's creation date is the allocation's", async () => {
      const [pdf1, pdf2, zpl1, zpl2] = await Promise.all(["pdf", "pdf", "zpl", "zpl"].map((format) => get(`/labels/${EXAMPLE}/${format}`)));

      expect(pdf1.body.equals(pdf2.body)).toBe(true);
      expect(zpl1.body.equals(zpl2.body)).toBe(true);
      const allocated = (await server.post(LABEL_QUERY, { ref: EXAMPLE, format: "PDF" })).body.data!.shipment.allocation.allocationDate;
      expect(new Date((await pdfInfo(pdf1.body)).CreationDate).toISOString()).toBe(new Date(allocated).toISOString().replace(/\.\d{3}Z$/, ".000Z"));
    });

    it.each(["PDF", "ZPL"])("Allocation.label(%s) is the same bytes, base64-encoded, for clients behind a router", async (format) => {
      const direct = await get(`/labels/${EXAMPLE}/${format.toLowerCase()}`);

      const response = await server.post(LABEL_QUERY, { ref: EXAMPLE, format });

      expect(response.body.errors).toBeUndefined();
      const label = response.body.data!.shipment.allocation.label;
      expect(label).toEqual({ format, contentType: direct.contentType, content: direct.body.toString("base64") });
    });
  });

  it("prints Western European characters as themselves, and escapes ^, ~ and _ in ZPL data", async () => {
    const pdf = await get(`/labels/${ACCENTED}/pdf`);
    const zpl = (await get(`/labels/${ACCENTED}/zpl`)).body.toString("utf8");

    const text = (await pdfText(pdf.body)).replace(/\s+/g, " ");
    expect(text).toContain("Amélie Dupré Crème & Château Ltd Flat ^1 ~ B_2 Øresund House, Straße Lane Édinburgh Midlothian EH1 1YZ United Kingdom");
    expect(zplFieldData(zpl)).toEqual(expect.arrayContaining(["Amélie Dupré", "Crème & Château Ltd", "Flat ^1 ~ B_2", "Øresund House, Straße Lane", "Édinburgh"]));
    expect(zpl).toContain("^FDFlat _5E1 _7E B_5F2^FS");
  });

  describe("who gets a label", () => {
    it.each([
      ["no x-api-key", {}],
      ["an unknown x-api-key", { "x-api-key": "not-a-key" }],
    ])("answers 401 UNAUTHENTICATED with %s, whatever the path", async (_, headers) => {
      for (const path of [`/labels/${EXAMPLE}/pdf`, `/labels/${EXAMPLE}/png`, "/labels/sp_unknown/zpl"]) {
        const response = await get(path, headers);

        expect(response.status).toBe(401);
        expect(JSON.parse(response.body.toString())).toEqual({ code: "UNAUTHENTICATED", message: expect.any(String) });
      }
    });

    it.each([
      ["a shipment without an allocation in force", `/labels/${sp(913)}/pdf`],
      ["a shipment whose allocation failed", `/labels/${sp(921)}/zpl`],
      ["an unknown shipment", "/labels/sp_00000000000000000000000000000000/pdf"],
      ["another account's allocated shipment", `/labels/${NORTHWIND_SHIPMENT}/pdf`],
      ["a format in capitals", `/labels/${EXAMPLE}/PDF`],
      ["another format", `/labels/${EXAMPLE}/png`],
    ])("answers 404 label_not_found for %s", async (_, path) => {
      const response = await get(path);

      expect(response.status).toBe(404);
      expect(JSON.parse(response.body.toString())).toEqual({ code: "label_not_found", message: expect.any(String) });
    });

    it("serves the owner's own label to the other account's key", async () => {
      const response = await get(`/labels/${NORTHWIND_SHIPMENT}/zpl`, { "x-api-key": NORTHWIND_KEY });

      expect(response.status).toBe(200);
    });
  });

  it("has none for a deallocated allocation (rule 18): 404 on both links, label null in the history", async () => {
    await allocate(voidedRef, "FF_LINET-00001");
    expect((await get(`/labels/${voidedRef}/pdf`)).status).toBe(200);

    const deallocated = await server.post(
      `mutation ($ref: ID!) { deallocateShipment(shipmentRef: $ref, reason: "wrong service") { __typename ... on DeallocateResult { state } } }`,
      { ref: voidedRef },
    );
    const history = await server.post(`query ($ref: ID!) { shipment(reference: $ref) { allocationHistory { deallocatedAt label(format: PDF) { content } } } }`, {
      ref: voidedRef,
    });

    expect(deallocated.body.data?.deallocateShipment).toEqual({ __typename: "DeallocateResult", state: "UNALLOCATED" });
    for (const format of ["pdf", "zpl"]) expect((await get(`/labels/${voidedRef}/${format}`)).status).toBe(404);
    expect(history.body.data?.shipment.allocationHistory).toEqual([{ deallocatedAt: expect.any(String), label: null }]);
  });

  it("is not guarded by ROUTER_SECRET: printers fetch labels with their API key alone", async () => {
    const guarded = await startHttpServer(store, { routerSecret: "a-router-secret-of-some-length" });
    try {
      const label = await fetch(`http://localhost:${guarded.port}/labels/${EXAMPLE}/pdf`, { headers: { "x-api-key": DEMO_KEY } });
      const graphql = await guarded.post("{ __typename }");

      expect(label.status).toBe(200);
      expect(graphql.status).toBe(401);
    } finally {
      await guarded.stop();
    }
  });
});
