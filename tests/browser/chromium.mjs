// What both browser drivers share: Debian's Chromium (never a downloaded browser) launched
// headless with the same flags, and the data-testid selector.
import fs from 'node:fs';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

export const tid = (id) => `[data-testid="${id}"]`;

// Launches Chromium; throws a clear error when it is not installed.
export async function launchChromium() {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

// One driver process: a log prefix, one way to fail (close the browser, say why, exit 1) that
// an overall timeout also takes, and one way to succeed (close, print the JSON line, exit 0).
export function driver(name, failure, timeoutMs) {
  let browser = null;
  let finished = false;
  const log = (msg) => process.stderr.write(`[${name}] ${msg}\n`);
  async function fail(reason) {
    if (finished) return;
    finished = true;
    process.stderr.write(`${failure}: ${reason}\n`);
    try {
      if (browser) await browser.close();
    } catch {
      /* already gone */
    }
    process.exit(1);
  }
  setTimeout(() => fail(`overall timeout of ${timeoutMs} ms`), timeoutMs).unref();
  return {
    log,
    async launch() {
      browser = await launchChromium();
      return browser;
    },
    async succeed(out) {
      await browser.close();
      browser = null;
      finished = true;
      process.stdout.write(JSON.stringify(out) + '\n');
      process.exit(0);
    },
    run(main) {
      main().catch((e) => fail(e && e.message ? e.message : String(e)));
    },
  };
}
