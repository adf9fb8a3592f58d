// Issue 10 (waiting for its hooks): a preview's candidates as a list, cheapest first, then those
// that cannot take the shipment, each with its reason in plain words.
import { exclusionWords, money } from "../format";
import type { Preview } from "./PreviewSection";

type Candidate = Preview["candidates"][number];

/** Orders decimal strings exactly (prices are never floats): "10.5" > "9.99". */
function compareDecimal(a: string, b: string): number {
  const scaled = (value: string) => {
    const [whole = "0", fraction = ""] = value.split(".");
    return BigInt(whole + fraction.padEnd(6, "0").slice(0, 6));
  };
  const difference = scaled(a) - scaled(b);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}

/** Priced options by gross price (stable: group order breaks a tie), then the excluded ones. */
function cheapestFirst(candidates: readonly Candidate[]): Candidate[] {
  return [...candidates].sort((a, b) => {
    if (a.price && b.price) return compareDecimal(a.price.gross, b.price.gross);
    return a.price ? -1 : b.price ? 1 : 0;
  });
}

export function Options({ candidates }: { candidates: readonly Candidate[] }) {
  return (
    <>
      <h3>Every option</h3>
      <ol className="options">
        {cheapestFirst(candidates).map(({ carrier, price, exclusion }) => (
          <li key={carrier.serviceReference} className={exclusion ? "option excluded-option" : "option chosen-option"}>
            <span className="service-name">{carrier.serviceName ?? carrier.serviceReference}</span>
            <span className="hint">{carrier.name}</span>
            {price && <span className="price">{money(price)}</span>}
            {exclusion ? (
              <span className="reason">
                <strong>{exclusionWords(exclusion.code)}</strong>: {exclusion.reason}
              </span>
            ) : (
              <span className="reason">
                <strong>Chosen</strong>: what allocating now picks
              </span>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}
