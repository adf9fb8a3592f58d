// Debian's chromium for the browser tests, with nothing but loopback to talk to.
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-quic",
  "--no-first-run",
  "--disable-component-update",
  "--disable-sync",
];

/** On CI a missing chromium fails the suite (.ci/run installs it); elsewhere it is skipped with a notice. */
export function skipWithoutChromium(testFile: string): boolean {
  const skip = !existsSync(CHROMIUM) && process.env.CI !== "true";
  if (skip) console.warn(`${testFile} skipped: no ${CHROMIUM} (apt-get install -y chromium)`);
  return skip;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
