// The page in a real browser: Debian's chromium driven by playwright-core, the page and the API
// served on loopback, real smtp-servers behind it. Runs a probe from the form, checks the matrix
// and the verdict, loads two reports into Compare and checks the highlighted rows; saves
// screenshots to test-output/screenshots/ (git-ignored) for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, startPageServer, type PageServer } from './page-server.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { testPki } from '../helpers/certs.ts';
import { freePort } from '../e2e/netlify-cli.ts';
import { netlifyAndRender } from '../e2e/report-fixtures.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';
// Type-only: makes `tsc --noEmit` check the page's sources (public/src is outside tsconfig's include).
import type * as _page from '../../public/src/app.ts';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true';
const TOKEN = 'browser-token-7d3e01c9aa';
const SHOTS = join(ROOT, 'test-output/screenshots');

function ensureChromium(): boolean {
  if (existsSync(CHROMIUM)) return true;
  spawnSync('bash', [join(ROOT, 'scripts/ensure-chromium.sh')], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 600_000 });
  return existsSync(CHROMIUM);
}

const haveChromium = ensureChromium();
if (!haveChromium) {
  const msg = `BROWSER TEST NOT RUN: ${CHROMIUM} is missing and scripts/ensure-chromium.sh could not install it (apt-get install chromium).`;
  console.warn(`\n${'!'.repeat(100)}\n!! ${msg}\n${'!'.repeat(100)}\n`);
  if (IN_CI) {
    it('has chromium (CI=true: a missing browser is a failure)', () => {
      throw new Error(msg);
    });
  }
}

/** WCAG contrast of every visible element matching `selector` (text colour on its own background or the nearest painted ancestor's). */
async function worstContrast(page: Page, selector: string): Promise<{ ratio: number; text: string }> {
  return page.evaluate((sel) => {
    const rgb = (s: string) => (s.match(/[\d.]+/g) ?? []).map(Number);
    const lum = ([r = 0, g = 0, b = 0]: number[]) => {
      const f = (c: number) => {
        const v = c / 255;
        return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
      };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const bgOf = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length >= 3 && (c.length === 3 || (c[3] ?? 1) > 0.5)) return c;
      }
      return [255, 255, 255];
    };
    let worst = { ratio: 21, text: '' };
    for (const el of document.querySelectorAll(sel)) {
      const he = el as HTMLElement;
      if (!he.offsetParent || !he.textContent?.trim()) continue;
      const fg = rgb(getComputedStyle(he).color);
      const [l1, l2] = [lum(fg), lum(bgOf(he))].sort((x, y) => y - x) as [number, number];
      const ratio = (l1 + 0.05) / (l2 + 0.05);
      if (ratio < worst.ratio) worst = { ratio, text: `${sel}: "${he.textContent.trim().slice(0, 40)}"` };
    }
    return worst;
  }, selector);
}

describe.skipIf(!haveChromium)('the page in chromium, served by smtp-egress serve (or a test server when serve is missing)', () => {
  let server: PageServer;
  let starttls: RunningServer;
  let implicit: RunningServer;
  let closedPort: number;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const requests: string[] = [];
  const problems: string[] = [];

  beforeAll(async () => {
    const { buildPage } = await import('../../scripts/build-page.mjs');
    await buildPage(ROOT);
    mkdirSync(SHOTS, { recursive: true });
    const pki = testPki();
    [starttls, implicit, closedPort] = await Promise.all([startSmtpServer({ tls: pki.valid }), startSmtpServer({ tls: pki.valid, secure: true }), freePort()]);
    server = await startPageServer({ SMTP_EGRESS_TOKEN: TOKEN, SMTP_EGRESS_ALLOW_PRIVATE: '1', SMTP_EGRESS_EXTRA_CA: pki.ca.cert });
    userDataDir = mkdtempSync(join(tmpdir(), 'smtp-egress-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1200, height: 900 },
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(server.url, { waitUntil: 'load' });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await Promise.all([server?.stop(), starttls?.close(), implicit?.close()]);
    if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
  });

  it('says which deployment serves it', async () => {
    await expect.poll(() => page.locator('#deployment').textContent()).toContain('This deployment: this machine');
    expect(await page.locator('#deployment').textContent()).toContain('Probes need its access token');
  });

  it('labels every control', async () => {
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll('input, select, textarea, button')]
        .filter((el) => {
          const e = el as HTMLInputElement;
          if (e.tagName === 'BUTTON') return !e.textContent?.trim() && !e.getAttribute('aria-label');
          return !(e.labels && e.labels.length > 0) && !e.getAttribute('aria-label');
        })
        .map((e) => e.outerHTML.slice(0, 80)),
    );
    expect(unlabelled).toEqual([]);
  });

  it('refuses a wrong token and says so at the token field', async () => {
    await page.fill('#host', '127.0.0.1');
    await page.fill('#ports', `${starttls.port}:starttls,${implicit.port}:implicit-tls,${closedPort}:plain`);
    await page.fill('#token', 'not-the-token');
    await page.click('#run');
    await expect.poll(() => page.locator('#token-error').textContent()).toContain('Wrong token');
    expect(await page.locator('#token').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#probe-status').textContent()).toContain('401');
    await page.screenshot({ path: join(SHOTS, 'probe-wrong-token.png') });
  });

  it('shows a bad port as an error on the ports field', async () => {
    await page.fill('#token', TOKEN);
    await page.fill('#ports', '25,abc');
    await page.click('#run');
    await expect.poll(() => page.locator('#ports-error').textContent()).toContain('"abc" is not a port number');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('ports');
  });

  it('runs a probe from the keyboard and shows the matrix and the verdict', async () => {
    await page.fill('#ports', `${starttls.port}:starttls,${implicit.port}:implicit-tls,${closedPort}:plain`);
    await page.focus('#host');
    await page.keyboard.press('Enter');
    await page.waitForSelector('.report', { timeout: 20_000 });

    const cell = (port: number, family: string) => page.locator(`.matrix td[data-port="${port}"][data-family="${family}"]`);
    expect(await cell(starttls.port, 'ipv4').getAttribute('data-outcome')).toBe('ok');
    expect(await cell(starttls.port, 'ipv4').getAttribute('class')).toContain('tone-ok');
    expect(await cell(starttls.port, 'ipv4').textContent()).toContain('OK');
    expect(await cell(implicit.port, 'ipv4').getAttribute('data-outcome')).toBe('ok');
    expect(await cell(closedPort, 'ipv4').getAttribute('data-outcome')).toBe('connection_refused');
    expect(await cell(closedPort, 'ipv4').getAttribute('class')).toContain('tone-blocked');
    expect(await cell(closedPort, 'ipv4').textContent()).toContain('Refused');
    expect(await cell(starttls.port, 'ipv6').textContent()).toContain('not probed');

    const verdict = page.locator('.report .verdict');
    expect(await verdict.getAttribute('data-code')).toBe('egress_blocked');
    expect(await verdict.locator('.summary').textContent()).toContain(`Port ${closedPort}`);
    expect(await verdict.locator('ol li').count()).toBeGreaterThan(0);
    expect(await page.locator('#probe-status').textContent()).toMatch(/^Done: 3 attempts/);
    expect(await page.locator('#probe-status').isVisible()).toBe(true);
    // Focus moved to the result, for screen readers and keyboards.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('result-h');
    await page.screenshot({ path: join(SHOTS, 'probe-result.png'), fullPage: true });
  });

  it('shows phase timings on hover and the transcript when a cell is opened', async () => {
    const link = page.locator(`.matrix td[data-port="${starttls.port}"][data-family="ipv4"] a.cell-link`);
    await link.hover();
    const tip = page.locator(`.matrix td[data-port="${starttls.port}"][data-family="ipv4"] .tip`);
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(/connect \d+ ms.*greeting \d+ ms.*ehlo \d+ ms.*tls \d+ ms/);
    await page.locator('.matrix').screenshot({ path: join(SHOTS, 'matrix-hover.png') });

    await link.focus();
    await page.keyboard.press('Enter');
    const details = page.locator(`details.attempt[data-port="${starttls.port}"][data-family="ipv4"]`);
    expect(await details.getAttribute('open')).not.toBeNull();
    const transcript = await details.locator('pre.transcript').textContent();
    expect(transcript).toContain('C: EHLO');
    expect(transcript).toContain('C: STARTTLS');
    expect(await details.locator('.phase-list').textContent()).toContain('connect');
    await details.screenshot({ path: join(SHOTS, 'attempt-details.png') });
  });

  it('keeps the token in sessionStorage only, never in a command or the URL', async () => {
    expect(await page.evaluate(() => sessionStorage.getItem('smtp-egress:token'))).toBe(TOKEN);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(TOKEN);
    expect(page.url()).not.toContain(TOKEN);
    const commands = await page.locator('.commands pre').allTextContents();
    expect(commands.join('\n')).not.toContain(TOKEN);
    expect(commands[0]).toContain(`curl -sS -H "Authorization: Bearer $SMTP_EGRESS_TOKEN" '${server.url}/api/probe?host=127.0.0.1&ports=${starttls.port}:starttls,`);
    expect(commands[1]).toContain(`node smtp-egress.mjs probe 127.0.0.1 --ports ${starttls.port}:starttls,`);
    expect(commands[2]).toContain(`--compare ${server.url}/api/probe`);
    expect(await page.locator('a[href="/smtp-egress.mjs"]').count()).toBeGreaterThan(0);
  });

  it('compares the live report with a Render report: the blocked row is highlighted', async () => {
    // A: the report the page just got ("this machine"). B: the same, as seen from a Render
    // service whose egress drops the STARTTLS port (a connect timeout), loaded as a file.
    const live = ProbeReport.parse(await page.evaluate(async (token) => {
      const res = await fetch('/api/probe', { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ host: '127.0.0.1', ports: document.querySelector<HTMLInputElement>('#ports')!.value }) });
      return res.json() as Promise<unknown>;
    }, TOKEN));
    const render: ProbeReport = {
      ...live,
      id: 'render-report',
      platform: { name: 'render', region: 'oregon', runtime: 'node v22.12.0', deployContext: null },
      attempts: live.attempts.map((a) =>
        a.port === starttls.port
          ? { ...a, outcome: 'connect_timeout', errno: 'ETIMEDOUT', message: `connect timeout to ${a.address} port ${a.port}`, phases: { dns: 2, connect: 5000 }, detectedMode: null, banner: null, capabilities: [], tls: null, auth: null, transcript: [] }
          : a,
      ),
    };
    const file = join(mkdtempSync(join(tmpdir(), 'smtp-egress-report-')), 'render.json');
    writeFileSync(file, JSON.stringify(render, null, 2));

    await page.getByRole('button', { name: 'Use as report A in Compare' }).click();
    await page.setInputFiles('#file-b', file);
    await page.waitForSelector('.compare-table');
    expect(await page.locator('#status-a').textContent()).toContain('127.0.0.1 from this machine');
    expect(await page.locator('#status-b').textContent()).toContain('127.0.0.1 from Render (oregon)');

    const highlighted = await page.locator('.compare-table tbody tr.row-differs').evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-port')} ${r.getAttribute('data-family')} ${r.getAttribute('data-finding')}`));
    expect(highlighted).toEqual([`${starttls.port} ipv4 egress_blocked`]);
    expect(await page.locator('.compare-table tbody tr.row-same').count()).toBe(2);
    expect(await page.locator('.comparison .verdict').getAttribute('data-code')).toBe('egress_blocked');
    expect(await page.locator('.comparison .verdict .summary').textContent()).toContain('Render (oregon)');
    expect(await page.locator('.comparison .count').textContent()).toBe('1 of 3 rows differ (highlighted).');
    await page.locator('#compare').screenshot({ path: join(SHOTS, 'compare-live-vs-render.png') });
    rmSync(file, { force: true });
  });

  it('compares two pasted reports, and says what is wrong with one that is not a report', async () => {
    const { netlify, render } = netlifyAndRender();
    await page.fill('#report-a', JSON.stringify(netlify));
    await page.fill('#report-b', JSON.stringify(render));
    await page.waitForSelector('.compare-table');
    const rows = await page.locator('.compare-table tbody tr').evaluateAll((trs) => trs.map((r) => [r.getAttribute('data-port'), r.classList.contains('row-differs')]));
    expect(rows).toEqual([
      ['465', true],
      ['587', true],
      ['2525', false],
    ]);
    expect(await page.locator('.comparison .verdict .summary').textContent()).toMatch(/Ports 465 and 587 get out of Netlify \(us-east-2\) but time out from Render \(oregon\)/);
    await page.locator('#compare').screenshot({ path: join(SHOTS, 'compare-netlify-vs-render.png') });

    await page.fill('#report-b', '{"hello": 1');
    await expect.poll(() => page.locator('#status-b').textContent()).toContain('Report B is not valid JSON');
    expect(await page.locator('#report-b').getAttribute('aria-invalid')).not.toBeNull();
    await page.fill('#report-b', JSON.stringify({ ...render, target: { ...render.target, host: 'other.example.com' } }));
    await expect.poll(() => page.locator('#compare-result').textContent()).toContain('different targets');
    await page.locator('#compare').screenshot({ path: join(SHOTS, 'compare-error.png') });
  });

  it('meets contrast on outcome cells, rows, buttons and hints', async () => {
    await page.fill('#report-b', JSON.stringify(netlifyAndRender().render));
    await page.waitForSelector('.compare-table');
    for (const sel of ['.matrix td.cell .label', '.matrix td.cell .ms', '.compare-table td', '.compare-table th', '.verdict p', '.verdict li', 'button', '.hint', '.legend li', '.meta', 'details.attempt summary', '.slot-status']) {
      const worst = await worstContrast(page, sel);
      expect(worst.ratio, worst.text).toBeGreaterThanOrEqual(4.5);
    }
  });

  it('fits a phone screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: join(SHOTS, 'phone-top.png') });
    for (const [name, sel] of [['phone-result', '#result'], ['phone-compare', '.comparison']] as const) {
      await page.locator(sel).evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(SHOTS, `${name}.png`) });
    }
    await page.setViewportSize({ width: 1200, height: 900 });
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it('loads nothing from outside its own origin, with no console errors', () => {
    const foreign = requests.filter((u) => !u.startsWith(server.url) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    expect(problems.filter((p) => !/status of 40[01]/.test(p))).toEqual([]);
  });
});
