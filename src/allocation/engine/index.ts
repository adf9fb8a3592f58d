export { Dec } from "./decimal";
export { checkEligibility, postcodeArea, totalValue, totalWeightKg } from "./eligibility";
export { priceFor, rateFor } from "./pricing";
export { decideForCarrierService, decideForGroup } from "./selection";
export {
  buildLinks,
  failureMessage,
  invalidStateDetails,
  isAllocatable,
  successMessage,
} from "./messages";
export type { AllocationDecision, DetailRecord, ExcludedServiceRecord } from "./types";
