// The page in a real browser: Debian's chromium driven by playwright-core, the page and the API
// served on loopback by `smtp-egress serve`, real smtp-servers behind it. Runs a probe from the
// form, checks the matrix and the verdict; compares with a second `serve` on another loopback
// port (another origin: CORS preflight, one token per deployment, the matrix); classifies a
// Render log excerpt; loads two reports into Compare; checks the layout at 1280 and 390 px,
// touch hints, and axe-core's accessibility rules. Saves screenshots to test-output/screenshots/
// (git-ignored) for a person to look at.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, startPageServer, startSmtpEgressServe, type PageServer } from './page-server.ts';
import { startSmtpServer, type RunningServer } from '../helpers/smtp-servers.ts';
import { testPki } from '../helpers/certs.ts';
import { freePort } from '../e2e/netlify-cli.ts';
import { netlifyAndRender } from '../e2e/report-fixtures.ts';
import { ProbeReport } from '../../lib/model/probe-report.ts';
import { createClientNamespace, requireNetns } from '../helpers/netns.ts';
// Type-only: makes `tsc --noEmit` check the page's sources (public/src is outside tsconfig's include).
import type * as _page from '../../public/src/app.ts';

const CHROMIUM = '/usr/bin/chromium';
/** The cross-origin compare with a real egress difference runs the other deployment in a network namespace (root, iproute2, iptables). */
const canNetns = requireNetns('test/browser/page.test.ts (compare with a deployment behind an egress firewall)');
const IN_CI = process.env.CI === 'true';
const TOKEN = 'browser-token-7d3e01c9aa5b6f8e2c41';
/** The other deployment's own token (the "Render probe service"). */
const REMOTE_TOKEN = 'remote-token-41c0ffee99-8a6d2b4f7e13';
const SHOTS = join(ROOT, 'test-output/screenshots');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const RENDER_LOGS = readFileSync(join(ROOT, 'test/browser/fixtures/render-django-errno-101.txt'), 'utf8');
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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

/** axe-core's rules (WCAG 2.x A/AA and best practices) on the page as it is now. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<{ violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] }> } }).axe;
    const r = await axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
  });
}

/** The CORS preflight a browser on `origin` sends before POST /api/probe with a token, as `server` answers it. */
async function preflight(server: string, origin: string): Promise<{ status: number; allowOrigin: string | null; allowHeaders: string | null }> {
  const res = await fetch(`${server}/api/probe`, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer();
  return { status: res.status, allowOrigin: res.headers.get('access-control-allow-origin'), allowHeaders: res.headers.get('access-control-allow-headers') };
}

/** Horizontal overflow and row heights of a compare view (`sel` contains .comparison). */
async function compareLayout(page: Page, sel: string) {
  return page.locator(sel).evaluate((root) => {
    const view = root.querySelector('.comparison') as HTMLElement;
    const scroll = root.querySelector('.table-scroll') as HTMLElement;
    const vw = document.documentElement.clientWidth;
    const cells = [...root.querySelectorAll('.compare-table th, .compare-table td')].map((c) => c.getBoundingClientRect());
    const rows = [...root.querySelectorAll('.compare-table tbody tr')].map((r) => r.getBoundingClientRect().height);
    return {
      viewOverflow: view.scrollWidth - view.clientWidth,
      tableOverflow: scroll.scrollWidth - scroll.clientWidth,
      pageOverflow: document.documentElement.scrollWidth - vw,
      cellsOutside: cells.filter((c) => c.left < 0 || c.right > vw + 0.5).length,
      tallestRow: Math.max(...rows),
      rows: rows.length,
      cards: getComputedStyle(root.querySelector('.compare-table tbody tr') as Element).display === 'block',
    };
  });
}

describe.skipIf(!haveChromium)('the page in chromium, served by smtp-egress serve (or a test server when serve is missing)', () => {
  let server: PageServer;
  /** Another deployment that allows this page's origin (SMTP_EGRESS_CORS_ORIGINS), platform Render. */
  let remote: PageServer;
  /** Another deployment that does not list this page's origin. */
  let closed: PageServer;
  /** The deployment behind an egress firewall, while its test runs (its origin stays allowed in the request check). */
  let firewalled: PageServer | null = null;
  let starttls: RunningServer;
  let implicit: RunningServer;
  let closedPort: number;
  let context: BrowserContext;
  let page: Page;
  let userDataDir: string;
  const requests: string[] = [];
  /** Where each Authorization header was sent: origin -> the tokens seen. */
  const tokensSent = new Map<string, Set<string>>();
  const problems: string[] = [];

  beforeAll(async () => {
    const { buildPage } = await import('../../scripts/build-page.mjs');
    await buildPage(ROOT);
    mkdirSync(SHOTS, { recursive: true });
    const pki = testPki();
    [starttls, implicit, closedPort] = await Promise.all([startSmtpServer({ tls: pki.valid }), startSmtpServer({ tls: pki.valid, secure: true }), freePort()]);
    const common = { SMTP_EGRESS_ALLOW_PRIVATE: '1', SMTP_EGRESS_EXTRA_CA: pki.ca.cert };
    server = await startPageServer({ SMTP_EGRESS_TOKEN: TOKEN, ...common });
    // Two more deployments on other loopback ports: other origins, as a Render service is to a
    // Netlify site. One lists the page's origin, the other lists a different one.
    [remote, closed] = await Promise.all([
      startSmtpEgressServe({ SMTP_EGRESS_TOKEN: REMOTE_TOKEN, SMTP_EGRESS_CORS_ORIGINS: `https://elsewhere.example, ${server.url}`, RENDER: 'true', ...common }),
      startSmtpEgressServe({ SMTP_EGRESS_TOKEN: REMOTE_TOKEN, SMTP_EGRESS_CORS_ORIGINS: 'https://elsewhere.example', ...common }),
    ]);
    userDataDir = mkdtempSync(join(tmpdir(), 'smtp-egress-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1280, height: 900 },
      acceptDownloads: true,
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('request', (r) => {
      requests.push(r.url());
      const auth = r.headers().authorization;
      if (auth) {
        const o = new URL(r.url()).origin;
        tokensSent.set(o, (tokensSent.get(o) ?? new Set()).add(auth));
      }
    });
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(server.url, { waitUntil: 'load' });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await Promise.all([server?.stop(), remote?.stop(), closed?.stop(), starttls?.close(), implicit?.close()]);
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
    // A token the deployment refused is forgotten: not kept for the next visit, the field empty.
    expect(await page.evaluate(() => sessionStorage.getItem('smtp-egress:token'))).toBeNull();
    expect(await page.inputValue('#token')).toBe('');
    expect(await page.locator('#token-error').textContent()).toContain('It was forgotten');
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
    // A refusal is not an egress block (the diagnosis's first finding); the heading states it.
    expect(await verdict.getAttribute('data-code')).toBe('port_refused');
    expect(await verdict.locator('h3').textContent()).toContain(`Port ${closedPort} refuses the connection`);
    expect(await verdict.getAttribute('class')).toContain('tone-config');
    const summary = (await verdict.locator('.summary').textContent()) ?? '';
    expect(summary).toContain(`Port ${closedPort}`);
    expect(await verdict.locator('ol li').count()).toBeGreaterThan(0);
    // The status line is neutral (the probe found a problem: not success-green) and does not repeat the summary.
    const status = page.locator('#probe-status');
    expect(await status.textContent()).toMatch(/^Probe finished: 3 attempts in \d+\.\d s\. The verdict is below\.$/);
    expect(await status.textContent()).not.toContain(summary.slice(0, 30));
    const [statusColour, textColour] = await status.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(document.body).color]);
    expect(statusColour).toBe(textColour);
    expect(await status.isVisible()).toBe(true);
    // Focus moved to the result, for screen readers and keyboards.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('result-h');
    await page.screenshot({ path: join(SHOTS, 'probe-result.png'), fullPage: true });
  });

  it('shows phase timings on hover and the transcript when a cell is opened', async () => {
    // A mouse can hover: the caption says so, and not "tap".
    expect(await page.locator('.matrix caption .hint-hover').isVisible()).toBe(true);
    expect(await page.locator('.matrix caption .hint-touch').isVisible()).toBe(false);
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

  it("answers for the app's own port first when it is given, and marks it in the matrix", async () => {
    await page.fill('#app-port', `${closedPort}:plain`);
    await page.selectOption('#client', 'nodemailer');
    const commands = await page.locator('.commands pre').allTextContents();
    expect(commands[0]).toContain(`appPort=${closedPort}:plain&client=nodemailer`);
    expect(commands[1]).toContain(`--app-port ${closedPort}:plain --client nodemailer`);
    await page.click('#run');
    await expect.poll(() => page.locator('#probe-status').textContent(), { timeout: 20_000 }).toMatch(/^Probe finished/);
    const verdict = page.locator('.report .verdict');
    // The app's path fails: an error, first, whatever the other ports do.
    expect(await verdict.getAttribute('class')).toContain('tone-blocked');
    expect(await verdict.locator('h3').textContent()).not.toMatch(/^\W*Verdict$/);
    expect(await page.locator(`.matrix tbody tr:has(td[data-port="${closedPort}"]) th .configured`).textContent()).toBe('your settings');
    expect(await page.locator(`.matrix tbody tr:has(td[data-port="${starttls.port}"]) th .configured`).count()).toBe(0);
    expect(await page.locator(`details.attempt[data-port="${closedPort}"] summary`).textContent()).toContain('your settings');
    await page.locator('#result').screenshot({ path: join(SHOTS, 'probe-app-port.png') });
    await page.fill('#app-port', '');
    await page.selectOption('#client', 'django');
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
    // compare@1 names the side in the code (egress_blocked_b); compare@N lists the blocked networks.
    expect(highlighted).toEqual([expect.stringMatching(new RegExp(`^${starttls.port} ipv4 egress_blocked(_b)?$`))]);
    expect(await page.locator(`#compare-result .compare-table tr[data-port="${starttls.port}"] td.finding`).textContent()).toContain('Blocked from Render (oregon)');
    expect(await page.locator('.compare-table tbody tr.row-same').count()).toBe(2);
    expect(await page.locator('#compare-result .comparison .verdict').getAttribute('data-code')).toMatch(/^egress_blocked(_b)?$/);
    expect(await page.locator('#compare-result .comparison .verdict .summary').textContent()).toContain('Render (oregon)');
    expect(await page.locator('#compare-result .comparison .count').textContent()).toBe('1 of 3 rows differ (highlighted).');
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
    const fileVerdict = page.locator('#compare-result .comparison .verdict');
    expect(await fileVerdict.locator('.summary').textContent()).toMatch(/Ports 465 and 587 get out of Netlify \(us-east-2\) but time out from Render \(oregon\)/);
    expect(await fileVerdict.locator('h3').textContent()).toContain('Render (oregon) blocks SMTP that gets out of Netlify (us-east-2)');
    // The policy's source is a link, not text to copy.
    expect(await fileVerdict.locator('a[href^="https://render.com/"]').count()).toBeGreaterThan(0);
    await page.locator('#compare').screenshot({ path: join(SHOTS, 'compare-netlify-vs-render.png') });

    await page.fill('#report-b', '{"hello": 1');
    await expect.poll(() => page.locator('#status-b').textContent()).toContain('Report B is not valid JSON');
    expect(await page.locator('#report-b').getAttribute('aria-invalid')).not.toBeNull();
    await page.fill('#report-b', JSON.stringify({ ...render, target: { ...render.target, host: 'other.example.com' } }));
    await expect.poll(() => page.locator('#compare-result').textContent()).toContain('different targets');
    await page.locator('#compare').screenshot({ path: join(SHOTS, 'compare-error.png') });
  });

  it('compares with another deployment it may not call: the browser refuses, the page says which variable to set', async () => {
    await page.fill('#remote-url', closed.url);
    await page.fill('#remote-token', REMOTE_TOKEN);
    await page.click('#remote-run');
    await expect.poll(() => page.locator('#remote-url-error').textContent(), { timeout: 20_000 }).toContain(`set SMTP_EGRESS_CORS_ORIGINS=${server.url}`);
    expect(await page.locator('#remote-status').getAttribute('class')).toContain('status-error');
    // The preflight was answered without permission, so the probe itself was never sent.
    expect(closed.output()).toMatch(/OPTIONS \/api\/probe \d{3}/);
    expect(closed.output()).not.toMatch(/POST \/api\/probe/);
    expect((await preflight(closed.url, server.url)).allowOrigin).toBeNull();
    expect(await page.locator('#remote-result .comparison').count()).toBe(0);
  });

  it('compares with another deployment: a wrong token is refused there and forgotten', async () => {
    await page.fill('#remote-url', remote.url);
    await page.fill('#remote-token', 'not-the-remote-token');
    const key = `smtp-egress:token:${remote.url}`;
    expect(await page.evaluate((k) => sessionStorage.getItem(k), key)).toBe('not-the-remote-token');
    await page.click('#remote-run');
    await expect.poll(() => page.locator('#remote-token-error').textContent(), { timeout: 20_000 }).toContain(`Wrong token for ${remote.url}`);
    expect(await page.evaluate((k) => sessionStorage.getItem(k), key)).toBeNull();
    expect(await page.inputValue('#remote-token')).toBe('');
    expect(await page.locator('#remote-status').textContent()).toContain('401');
    // This site's token was right and stays.
    expect(await page.evaluate(() => sessionStorage.getItem('smtp-egress:token'))).toBe(TOKEN);
    await page.locator('#remote').screenshot({ path: join(SHOTS, 'remote-wrong-token.png') });
  });

  it('compares with another deployment: both probed at once across origins, one column per network, the verdict', async () => {
    await page.fill('#remote-token', REMOTE_TOKEN);
    await page.click('#remote-run');
    await page.waitForSelector('#remote-result .compare-table', { timeout: 30_000 });
    const view = page.locator('#remote-result .comparison');
    const heads = await view.locator('.compare-table thead th').allTextContents();
    expect(heads).toEqual(['Port, family', 'this machine', 'Render', 'Finding']);
    const rows = await view.locator('.compare-table tbody tr').evaluateAll((trs) =>
      trs.map((r) => [r.getAttribute('data-port'), r.getAttribute('data-family'), ...[...r.querySelectorAll('td.cell')].map((c) => c.getAttribute('data-outcome')), r.getAttribute('data-finding')].join(' ')),
    );
    const expected: [number, string][] = [
      [starttls.port, 'ipv4 ok ok same'],
      [implicit.port, 'ipv4 ok ok same'],
      [closedPort, 'ipv4 connection_refused connection_refused same'],
    ];
    expect(rows).toEqual(expected.sort((x, y) => x[0] - y[0]).map(([port, rest]) => `${port} ${rest}`));
    // Both networks see the same: the verdict says so, whatever fails fails from both.
    expect(await view.locator('.verdict').getAttribute('data-code')).toBe('same');
    expect(await view.locator('.verdict h3').textContent()).toContain('This machine and Render see the same');
    expect(await view.locator('.verdict .summary').textContent()).toContain('see the same on every port compared');
    expect(await page.locator('#remote-status').textContent()).toMatch(/^Both probes finished/);
    // The preflight, then the probe, at the other deployment.
    expect(remote.output()).toMatch(/OPTIONS \/api\/probe 204/);
    expect(await preflight(remote.url, server.url)).toMatchObject({ allowOrigin: server.url, allowHeaders: expect.stringMatching(/authorization/i) });
    expect(remote.output()).toMatch(/POST \/api\/probe 200/);
    // Each token went to its own deployment only, and stays in this tab's sessionStorage.
    expect([...(tokensSent.get(remote.url) ?? [])]).toEqual(['Bearer not-the-remote-token', `Bearer ${REMOTE_TOKEN}`]);
    expect([...(tokensSent.get(server.url) ?? [])]).toEqual(['Bearer not-the-token', `Bearer ${TOKEN}`]);
    expect(await page.evaluate((k) => sessionStorage.getItem(k), `smtp-egress:token:${remote.url}`)).toBe(REMOTE_TOKEN);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(REMOTE_TOKEN);
    await page.locator('#remote').screenshot({ path: join(SHOTS, 'remote-compare-1280.png') });
  });

  it.skipIf(!canNetns)('compares with a deployment whose egress drops a port (a network namespace): the blocked row, the verdict naming it', async () => {
    const ns = await createClientNamespace();
    const mail: RunningServer[] = [];
    try {
      mail.push(await startSmtpServer({ host: ns.serverV4, noStarttls: true }), await startSmtpServer({ host: ns.serverV4, noStarttls: true }));
      const [open, dropped] = mail.map((m) => m.port) as [number, number];
      // The "Render" side: its egress drops one of the two ports, as Render's free plan drops 587.
      await ns.iptables(['-A', 'OUTPUT', '-p', 'tcp', '-d', ns.serverV4, '--dport', String(dropped), '-j', 'DROP']);
      firewalled = await startSmtpEgressServe(
        { SMTP_EGRESS_TOKEN: REMOTE_TOKEN, SMTP_EGRESS_CORS_ORIGINS: server.url, SMTP_EGRESS_ALLOW_PRIVATE: '1', RENDER: 'true' },
        30_000,
        { host: ns.clientV4, netns: ns.name },
      );
      await page.fill('#host', ns.serverV4);
      await page.fill('#ports', `${open}:plain,${dropped}:plain`);
      await page.click('details.advanced summary');
      await page.fill('#connect-timeout', '1500');
      await page.fill('#remote-url', firewalled.url);
      await page.fill('#remote-token', REMOTE_TOKEN);
      await page.click('#remote-run');
      await expect.poll(() => page.locator('#remote-result .comparison .verdict').getAttribute('data-code'), { timeout: 30_000 }).toMatch(/^egress_blocked(_b)?$/);
      const view = page.locator('#remote-result .comparison');
      expect(await view.locator('.compare-table thead th').allTextContents()).toEqual(['Port, family', 'this machine', 'Render', 'Finding']);
      const rows = await view.locator('.compare-table tbody tr').evaluateAll((trs) =>
        trs.map((r) => [r.getAttribute('data-port'), ...[...r.querySelectorAll('td.cell')].map((c) => c.getAttribute('data-outcome')), r.classList.contains('row-blocked') ? 'blocked' : 'not blocked'].join(' ')),
      );
      const expected: [number, string][] = [
        [open, 'ok ok not blocked'],
        [dropped, 'ok connect_timeout blocked'],
      ];
      expect(rows).toEqual(expected.sort((x, y) => x[0] - y[0]).map(([port, rest]) => `${port} ${rest}`));
      expect(await view.locator('.verdict h3').textContent()).toContain('Render blocks SMTP that gets out of this machine');
      expect(await view.locator('.verdict .summary').textContent()).toContain(`Port ${dropped} gets out of this machine but times out from Render`);
      expect(await view.locator(`tr[data-port="${dropped}"] td.finding`).textContent()).toContain('Blocked from Render');
      expect(firewalled.output()).toMatch(/OPTIONS \/api\/probe 204/);
      await page.locator('#remote').screenshot({ path: join(SHOTS, 'remote-blocked-1280.png') });
      await page.setViewportSize({ width: 390, height: 844 });
      await page.locator('#remote-result').screenshot({ path: join(SHOTS, 'remote-blocked-390.png') });
      await page.setViewportSize({ width: 1280, height: 900 });
    } finally {
      await firewalled?.stop();
      await Promise.all(mail.map((m) => m.close()));
      await ns.cleanup();
    }
  }, 90_000);

  it('classifies a pasted Render log excerpt: the line, the likely cause and the fix', async () => {
    await page.fill('#logs', RENDER_LOGS);
    await page.click('#logs-run');
    await page.waitForSelector('#logs-result .log-match', { timeout: 20_000 });
    const out = page.locator('#logs-result');
    const matches = await out.locator('.log-match').evaluateAll((lis) => lis.map((li) => [li.getAttribute('data-line'), li.getAttribute('data-outcome')]));
    const errnoLine = RENDER_LOGS.split('\n').findIndex((l) => l.endsWith('OSError: [Errno 101] Network is unreachable')) + 1;
    expect(matches).toEqual([[String(errnoLine), 'network_unreachable']]);
    expect(await out.locator('.log-match pre').textContent()).toBe('OSError: [Errno 101] Network is unreachable');
    const verdict = out.locator('.verdict');
    expect(await verdict.getAttribute('data-code')).toBe('network_unreachable');
    expect(await verdict.locator('h3').textContent()).toMatch(/network has no route for the mail connection/);
    expect(await verdict.locator('ul li').first().textContent()).toContain('Render');
    expect(await verdict.locator('ol li').allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining('HTTPS mail API')]));
    // Commands in the advice are code, not backquoted text.
    expect(await verdict.locator('ol li code').allTextContents()).toContain('smtp-egress probe');
    expect(await out.textContent()).toContain('These logs come from render (their log format says so)');
    expect(await page.locator('#logs-status').textContent()).toBe(`Read ${RENDER_LOGS.trimEnd().split('\n').length} lines: 1 classified. The result is below.`);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('logs-h');
    await page.locator('#logs-panel').screenshot({ path: join(SHOTS, 'logs-1280.png') });
  });

  it('meets contrast on outcome cells, rows, buttons and hints', async () => {
    await page.fill('#report-b', JSON.stringify(netlifyAndRender().render));
    await page.waitForSelector('#compare-result .compare-table');
    for (const sel of ['.matrix td.cell .label', '.matrix td.cell .ms', '.compare-table td', '.compare-table th', '.verdict p', '.verdict li', 'button', '.hint', '.legend li', '.meta', 'details.attempt summary', '.slot-status', '.log-match p', '.status']) {
      const worst = await worstContrast(page, sel);
      expect(worst.ratio, worst.text).toBeGreaterThanOrEqual(4.5);
    }
  });

  for (const width of [1280, 390]) {
    it(`at ${width} px: no compare view overflows, nothing is cut, and axe finds no violation`, async () => {
      await page.setViewportSize({ width, height: width > 600 ? 900 : 844 });
      for (const sel of ['#remote-result', '#compare-result']) {
        const l = await compareLayout(page, sel);
        expect(l.viewOverflow, `${sel} overflows at ${width} px`).toBeLessThanOrEqual(0);
        expect(l.tableOverflow, `${sel} table scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
        expect(l.cellsOutside, `${sel} has cells out of view at ${width} px`).toBe(0);
        expect(l.pageOverflow).toBeLessThanOrEqual(0);
        // Cards on a phone, a table on a desktop; either way a row is a few lines, not a column of words.
        expect(l.cards).toBe(width < 640);
        expect(l.tallestRow, `${sel} rows at ${width} px`).toBeLessThan(width < 640 ? 300 : 160);
      }
      const suffix = width < 640 ? 'phone' : 'desktop';
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: join(SHOTS, `${suffix}-top.png`) });
      for (const [name, sel] of [['result', '#result'], ['remote', '#remote-result'], ['logs', '#logs-result'], ['compare', '#compare-result']] as const) {
        await page.locator(sel).screenshot({ path: join(SHOTS, `${suffix}-${name}.png`) });
      }
      await page.locator('#compare-result .compare-table').screenshot({ path: join(SHOTS, `${suffix}-compare-table.png`) });
      // Every <details> open, so axe sees the transcripts and commands too.
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
      expect(await axeViolations(page)).toEqual([]);
      await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = false)));
    });
  }

  it('on a touch screen (no hover) the matrix says "tap", not "hover"', async () => {
    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    try {
      const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });
      const p = await phone.newPage();
      await p.goto(server.url, { waitUntil: 'load' });
      expect(await p.evaluate(() => matchMedia('(hover: none)').matches)).toBe(true);
      await p.fill('#host', '127.0.0.1');
      await p.fill('#ports', `${closedPort}:plain`);
      await p.fill('#token', TOKEN);
      await p.click('#run');
      await p.waitForSelector('.report .matrix', { timeout: 20_000 });
      expect(await p.locator('.matrix caption .hint-touch').isVisible()).toBe(true);
      expect(await p.locator('.matrix caption .hint-hover').isVisible()).toBe(false);
      expect(await p.locator('.matrix caption').innerText()).not.toMatch(/hover/i);
      await p.screenshot({ path: join(SHOTS, 'touch-result.png') });
    } finally {
      await browser.close();
    }
  });

  it('sends nothing anywhere but this site and the deployments named, with no console errors but the refusals', () => {
    const allowed = [server.url, remote.url, closed.url, ...(firewalled ? [firewalled.url] : [])];
    const foreign = requests.filter((u) => !allowed.some((o) => u.startsWith(`${o}/`)) && !u.startsWith('data:') && !u.startsWith('blob:'));
    expect(foreign).toEqual([]);
    // Only the probe at the other deployments went there; the page and its script came from this site.
    expect(requests.filter((u) => !u.startsWith(`${server.url}/`) && !u.startsWith('data:') && !u.startsWith('blob:')).every((u) => u.endsWith('/api/probe'))).toBe(true);
    const expected = (p: string) => /status of 40[01]/.test(p) || (p.includes(closed.url) && /CORS|ERR_FAILED/.test(p)) || /Failed to load resource: net::ERR_FAILED/.test(p);
    expect(problems.filter((p) => !expected(p))).toEqual([]);
  });
});
