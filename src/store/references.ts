// Every stored reference matches the import format's pattern, so anything else names nothing:
// answering "not found" without SQL also keeps NUL bytes and huge strings away from the database.
const REFERENCE_PATTERN = /^[A-Za-z0-9_.-]{1,50}$/;

export function isPlausibleReference(reference: string): boolean {
  return REFERENCE_PATTERN.test(reference);
}
