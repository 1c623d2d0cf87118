// The page's first check in headless Chromium: time from the last keystroke to the verdict
// (worker start, /api/policy, the dictionary chunks, building zxcvbn), and the longest task on
// the page's main thread from the first keystroke to the second verdict: what "the page stays
// responsive" means. Usage:
//   node first-check.mjs URL      (a running web-example)
import { chromium } from 'playwright-core';

export async function firstCheck(url) {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    await page.goto(url);
    await page.evaluate(() => {
      window.longTasks = [];
      new PerformanceObserver((list) => window.longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask', buffered: false });
    });
    await page.type('#password', 'Tangerine-Orbit-Quilt-93');
    const t0 = Date.now();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'Looks good.', null, { timeout: 60_000 });
    const firstMs = Date.now() - t0;
    await page.fill('#password', '');
    await page.type('#password', 'Another-Orbit-Quilt-77');
    const t1 = Date.now();
    await page.waitForFunction(() => document.querySelector('#status')?.textContent === 'Looks good.', null, { timeout: 60_000 });
    const warmMs = Date.now() - t1;
    const longest = await page.evaluate(() => Math.max(0, ...window.longTasks));
    return { firstMs, warmMs, longestTaskMs: longest };
  } finally {
    await browser.close();
  }
}

if (process.argv[1] === new URL(import.meta.url).pathname) {
  console.log(JSON.stringify(await firstCheck(process.argv[2])));
}
