import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

/** Debian's chromium package; .ci/system-packages.sh installs it when it is missing. */
export const chromiumPath = '/usr/bin/chromium';

export const hasChromium = existsSync(chromiumPath);

// Headless, and quiet: no sandbox (containers), no GPU, no background traffic to Google.
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Starts Chromium with a fresh profile, removed again when the browser closes. `fakeMedia` gives
 * it a fake microphone that needs no permission prompt, for pages that record audio.
 */
export async function launchChromium({ fakeMedia = false } = {}): Promise<BrowserContext> {
  const profile = mkdtempSync(path.join(tmpdir(), 'cpa-chromium-'));
  const media = fakeMedia ? ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'] : [];
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    headless: true,
    args: [...args, ...media],
  });
  // Chromium's helper processes can still be flushing caches when 'close' fires: retry, and
  // leave the temp folder behind rather than fail a finished test run over it.
  browser.once('close', () => {
    try {
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    } catch {
      // Left for the OS to clean up with the rest of the temp folder.
    }
  });
  return browser;
}
