/// <reference lib="dom" />
// Functions passed to page.evaluate run in the browser: the DOM types are theirs.
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { freePort, tempDir } from '../../e2e/support/env';
import { type BatonProcess, ProcessGroup, REPO_ROOT } from '../../e2e/support/processes';

/** Debian's chromium (installed by .ci/run); BATON_CHROMIUM names another binary. */
export const CHROMIUM = process.env.BATON_CHROMIUM ?? '/usr/bin/chromium';
export const TOKEN = 'web-ui-browser-test-token';
export const SCREENSHOTS = join(REPO_ROOT, 'docs', 'screenshots');

/**
 * The built all-in-one (examples pushed on start) and one headless Chromium,
 * for a browser suite. Every page it opens has the token in localStorage, as
 * after a sign-in, and records the requests it makes.
 */
export class WebUiHarness {
  readonly dir = tempDir('web');
  readonly group = new ProcessGroup(this.dir.path);
  baton!: BatonProcess;
  browser!: Browser;
  readonly requests: { url: string; headers: Record<string, string> }[] = [];

  async start(): Promise<void> {
    if (!existsSync(CHROMIUM))
      throw new Error(`${CHROMIUM} is missing: apt-get install chromium (see .ci/run)`);
    if (!existsSync(join(REPO_ROOT, 'dist', 'web', 'index.html')))
      throw new Error('dist/web is missing: run `npm run build` first');
    this.baton = this.group.add({
      name: 'baton',
      app: 'baton',
      port: await freePort(),
      env: {
        BATON_DATA_DIR: join(this.dir.path, 'data'),
        BATON_ADMIN_TOKEN: TOKEN,
        BATON_EXECUTOR_SLOTS: '16',
        BATON_LOG_LEVEL: 'warn',
      },
    });
    await this.group.guard(() => this.baton.start());
    this.browser = await puppeteer.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-extensions',
        '--mute-audio',
      ],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }

  async stop(): Promise<void> {
    await this.browser?.close();
    await this.group.stopAll();
    this.dir.remove();
  }

  get url(): string {
    return this.baton.url;
  }

  /** A page with the token in localStorage; `signedIn: false` opens one in a fresh context with none. */
  async page(signedIn = true): Promise<Page> {
    const page = signedIn
      ? await this.browser.newPage()
      : await (await this.browser.createBrowserContext()).newPage();
    await page.setViewport({ width: 1360, height: 860 });
    page.setDefaultTimeout(30_000);
    if (signedIn) await page.evaluateOnNewDocument((t) => localStorage.setItem('baton.token', t), TOKEN);
    page.on('request', (r) => this.requests.push({ url: r.url(), headers: r.headers() }));
    page.on('pageerror', (error) => console.error(`page error: ${String(error)}`));
    return page;
  }

  async open(page: Page, path: string): Promise<void> {
    await page.goto(`${this.url}${path}`, { waitUntil: 'domcontentloaded' });
  }

  async screenshot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) as `${string}.png` });
  }

  /** A call to the REST API with the admin token, as a script would make it. */
  async api<T>(method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<T> {
    const response = await fetch(`${this.url}/api/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${TOKEN}`,
        ...(body === undefined ? {} : { 'Content-Type': contentType }),
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  }

  /** `activate: false` keeps the active version (a push activates its version by default). */
  push(yaml: string, options: { activate?: boolean } = {}): Promise<{ workflowId: string; version: number }> {
    const query = options.activate === false ? '?activate=false' : '';
    return this.api('POST', `/workflows${query}`, yaml, 'application/yaml');
  }

  async startRun(workflowId: string, params: Record<string, unknown> = {}): Promise<string> {
    const answer = await this.api<{ runId: string }>('POST', `/workflows/${workflowId}/runs`, { params });
    return answer.runId;
  }

  async waitForRun(
    runId: string,
    done: (run: { status: string }) => boolean,
    timeoutMs = 60_000,
  ): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.api<{ status: string }>('GET', `/runs/${runId}`).catch(() => null);
      if (run && done(run)) return;
      if (Date.now() > until)
        throw new Error(`run ${runId} is ${run?.status ?? 'not there'} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** The status a node of the run DAG shows. */
export function nodeStatus(page: Page, stepId: string): Promise<string | null> {
  return page.$eval(`.node[data-step="${stepId}"]`, (el) => el.getAttribute('data-status')).catch(() => null);
}

export async function waitForNode(
  page: Page,
  stepId: string,
  status: string,
  timeoutMs = 30_000,
): Promise<void> {
  await page.waitForSelector(`.node[data-step="${stepId}"][data-status="${status}"]`, { timeout: timeoutMs });
}

/** Clicks the button whose text contains `text` (inside `scope`, default the page). */
export async function clickButton(page: Page, text: string, scope = 'body'): Promise<void> {
  const handle = await page.waitForFunction(
    (s, t) =>
      Array.from(document.querySelectorAll<HTMLButtonElement>(`${s} button`)).find(
        (b) => b.textContent?.includes(t) && !b.disabled,
      ) ?? null,
    {},
    scope,
    text,
  );
  await (handle.asElement() as unknown as { click(): Promise<void> }).click();
}
