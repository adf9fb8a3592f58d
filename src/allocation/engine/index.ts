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
  type LinkRecord,
} from "./messages";
export type {
  AllocationDecision,
  DetailRecord,
  EligibilityCheck,
  ExcludedServiceRecord,
  Exclusion,
  ExclusionCode,
} from "./types";
