import Decimal from "decimal.js";

// One configured constructor so every engine calculation rounds half-up, whatever the global default.
export const Dec = Decimal.clone({ rounding: Decimal.ROUND_HALF_UP });
export type Dec = Decimal;
