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
  type LinkRecord,
} from "./outcome";
export type {
  AllocationDecision,
  CandidateRecord,
  DetailRecord,
  EligibilityCheck,
  ExcludedServiceRecord,
  Exclusion,
  ExclusionCode,
} from "./types";
