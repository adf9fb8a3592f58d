// @vitest-environment jsdom
// The generated hooks of the preview → quote → allocate → deallocate flow, rendered in React against
// a live gateway, switching on __typename as an app does.
import { act, renderHook, waitFor } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import {
  useAllocateShipmentWithQuoteMutation,
  useDeallocateShipmentMutation,
  usePreviewAllocationWithVirtualServiceQuery,
  useShipmentAllocationHistoryQuery,
  type AllocateShipmentWithQuoteMutation,
} from "../../client/generated/graphql";
import { useLiveGateway } from "./apollo";

const SHIPMENT = "sp_00802615769404976542730318118913";

type QuoteOutcome = AllocateShipmentWithQuoteMutation["allocateShipmentWithQuote"];

/** What an app would show for each member of the union: the switch must cover all three. */
function describeOutcome(outcome: QuoteOutcome): string {
  switch (outcome.__typename) {
    case "AllocateResult":
      return `${outcome.state} ${outcome.carrier?.serviceReference} at ${outcome.price?.gross} ${outcome.price?.currency}`;
    case "QuoteExpiredError":
      return `expired at ${outcome.expiredAt}: preview again`;
    case "ReferenceNotFoundError":
      return `${outcome.code}: ${outcome.reference}`;
  }
}

describe("the preview, quote and deallocation hooks against a live gateway", () => {
  const live = useLiveGateway();

  it("previews, allocates with the quote, deallocates and reads the history", async () => {
    const wrapper = live.wrapper;
    // Act: preview (a query: always from the network, a quote is not to be cached)
    const variables = { shipmentRef: SHIPMENT, virtualServiceRef: "UK_ECONOMY" };
    const preview = renderHook(() => usePreviewAllocationWithVirtualServiceQuery({ variables, fetchPolicy: "network-only" }), { wrapper });
    await waitFor(() => expect(preview.result.current.loading).toBe(false), { timeout: 10_000 });
    const shown = preview.result.current.data!.previewAllocationWithVirtualService;
    if (shown.__typename !== "AllocationPreview" || !shown.quote) throw new Error(`no quote: ${JSON.stringify(shown)}`);

    const allocate = renderHook(() => useAllocateShipmentWithQuoteMutation(), { wrapper });
    const allocateWith = (quoteRef: string) =>
      act(async () => (await allocate.result.current[0]({ variables: { shipmentRef: SHIPMENT, quoteRef } })).data!.allocateShipmentWithQuote);
    const allocated = await allocateWith(shown.quote.reference);
    const unknown = await allocateWith("NOT-A-QUOTE");

    const deallocate = renderHook(() => useDeallocateShipmentMutation(), { wrapper });
    const reason = "Customer changed the address";
    const deallocated = await act(
      async () => (await deallocate.result.current[0]({ variables: { shipmentRef: SHIPMENT, reason } })).data!.deallocateShipment,
    );

    const history = renderHook(() => useShipmentAllocationHistoryQuery({ variables: { reference: SHIPMENT }, fetchPolicy: "network-only" }), {
      wrapper,
    });
    await waitFor(() => expect(history.result.current.loading).toBe(false), { timeout: 10_000 });

    // Assert
    expect(shown.candidates.map((c) => [c.carrier.serviceReference, c.price?.gross ?? null, c.exclusion?.code ?? null])).toEqual([
      ["RM-00048", "3.72", "ex_rates"],
      ["EVRI-00048", "3.35", null],
      ["DPD-00012", "5.40", "ex_rates"],
      ["DPD-00099", null, "ex_inactive"],
    ]);
    expect(describeOutcome(allocated)).toBe("ALLOCATED EVRI-00048 at 3.35 GBP");
    expect(describeOutcome(unknown)).toBe("quote_not_found: NOT-A-QUOTE");
    expect(deallocated).toMatchObject({ __typename: "DeallocateResult", state: "UNALLOCATED", details: [] });
    expect(history.result.current.data?.shipment).toMatchObject({
      state: "UNALLOCATED",
      allocationHistory: [{ carrier: { serviceReference: "EVRI-00048" }, deallocationReason: reason, deallocatedAt: expect.any(String) }],
    });
  });
});
