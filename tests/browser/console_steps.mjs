// The operator console's steps its drivers share (admin.mjs, admin_support.mjs,
// admin_refusals.mjs): the phone and desktop windows, screenshots, reading a sign-in or refusal
// page, signing in with a one-time link.
import path from 'node:path';
import { tid } from './chromium.mjs';

export const PHONE = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
export const DESKTOP = { viewport: { width: 1280, height: 800 } };

// Full-page PNGs under `dir`; `files` lists those taken.
export function screenshotter(dir) {
  const files = [];
  async function shot(page, name) {
    const file = path.join(dir, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    files.push(file);
  }
  return { shot, files };
}

// A sign-in or refusal page as it reads, and whether anything of the console is on it.
export async function gate(page) {
  const card = page.locator(tid('gate'));
  await card.waitFor();
  return {
    state: await card.getAttribute('data-state'),
    title: (await page.locator('h1').innerText()).trim(),
    text: (await card.innerText()).replace(/\s+/g, ' ').trim(),
    console: await page.evaluate(() => document.querySelector('script[src="admin.js"], [data-testid="nav"]') !== null),
  };
}

// Opens `link`, confirms, and waits for the overview's figures; returns the confirmation page.
export async function signIn(page, link) {
  await page.goto(link);
  const confirm = await gate(page);
  if (confirm.state !== 'confirm') throw new Error(`the link shows "${confirm.text}" instead of a sign-in button`);
  await page.click(tid('sign-in'));
  try {
    await page.waitForURL((url) => url.pathname === '/admin/' && !url.search, { timeout: 5000 });
  } catch (e) {
    throw new Error(`signing in did not lead to /admin/: at ${page.url()}: ${(await page.locator('body').innerText()).replace(/\s+/g, ' ').slice(0, 300)}`);
  }
  await page.waitForSelector('body[data-ready="1"]');
  await page.waitForFunction(() => document.getElementById('read-at').textContent !== '');
  return confirm;
}
