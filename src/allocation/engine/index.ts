export { Dec } from "./decimal";
export { checkEligibility, postcodeArea, totalValue, totalWeightKg } from "./eligibility";
export { priceFor, rateFor } from "./pricing";
export { decideForCarrierService, decideForGroup, decideForQuote } from "./selection";
export {
  buildLinks,
  failureMessage,
  invalidStateDetails,
  isAllocatable,
  successMessage,
} from "./messages";
export type { AllocationDecision, CandidateRecord, DetailRecord, ExcludedServiceRecord, Exclusion } from "./types";
