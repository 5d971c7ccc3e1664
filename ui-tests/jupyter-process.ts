/**
 * A Jupyter server of a spec's own, set up as a deployment would be (a token,
 * XSRF checks on, a base_url), unlike the galata server of playwright.config.js
 * (no token, no XSRF). Also: what a page sends and receives, recorded.
 */
import { ChildProcess, spawn } from 'child_process';
import crypto from 'crypto';
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import type { Page } from '@playwright/test';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { JUPYTER, ROOT, venvEnv } = require('../scripts/lib/paths.cjs');

/** A running Jupyter server. */
export interface IJupyter {
  /** `http://127.0.0.1:PORT{base_url}`, ending with `/`. */
  url: string;
  token: string;
  rootDir: string;
  logFile: string;
  stop(): Promise<void>;
}

/** A port nobody listens on now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `jupyter lab` or `jupyter notebook` from the .venv on a free port,
 * with `env` added to its environment; resolves once its API answers.
 */
export async function startJupyter(options: {
  app: 'lab' | 'notebook';
  baseUrl?: string;
  env?: Record<string, string>;
  /** More `jupyter` flags, e.g. `--ServerApp.allow_remote_access=True`. */
  extraArgs?: string[];
  timeoutMs?: number;
}): Promise<IJupyter> {
  const port = await freePort();
  const token = crypto.randomBytes(16).toString('hex');
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mlflow-traces-jupyter-'));
  const rootDir = path.join(work, 'root');
  fs.mkdirSync(rootDir);
  const baseUrl = options.baseUrl ?? '/';
  const logFile = path.join(work, 'jupyter.log');
  const log = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(
    JUPYTER,
    [
      options.app,
      '--no-browser',
      '--ServerApp.ip=127.0.0.1',
      `--ServerApp.port=${port}`,
      '--ServerApp.port_retries=0',
      `--ServerApp.base_url=${baseUrl}`,
      `--ServerApp.root_dir=${rootDir}`,
      `--IdentityProvider.token=${token}`,
      // Containers and CI often run as root.
      '--ServerApp.allow_root=True',
      `--LabApp.workspaces_dir=${path.join(work, 'workspaces')}`,
      '--LabApp.news_url=None',
      '--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate',
      ...(options.extraArgs ?? [])
    ],
    {
      cwd: ROOT,
      env: venvEnv({
        JUPYTER_RUNTIME_DIR: path.join(work, 'runtime'),
        ...options.env
      }),
      stdio: ['ignore', log, log],
      detached: true
    }
  );
  fs.closeSync(log);
  const url = `http://127.0.0.1:${port}${baseUrl}`;
  const stop = async () => {
    if (child.exitCode !== null || child.pid === undefined) {
      return;
    }
    const exited = new Promise(resolve => child.once('exit', resolve));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // gone
      }
    }, 5000);
    await exited;
    clearTimeout(timer);
  };
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(
        `jupyter ${options.app} exited (${child.exitCode}):\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`
      );
    }
    try {
      const response = await fetch(`${url}api/status`, {
        headers: { Authorization: `token ${token}` }
      });
      if (response.ok) {
        break;
      }
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`jupyter ${options.app} did not start; see ${logFile}`);
    }
    await new Promise(resolve => setTimeout(resolve, 300));
  }
  return { url, token, rootDir, logFile, stop };
}

/** Saves a notebook through the contents API: signed (trusted) when `trusted`, as notebooks.ts explains. */
export async function saveNotebook(
  jupyter: IJupyter,
  name: string,
  nb: { cells: Record<string, unknown>[] },
  trusted: boolean
): Promise<void> {
  const content = JSON.parse(JSON.stringify(nb));
  for (const cell of content.cells) {
    if (cell.cell_type === 'code') {
      cell.metadata.trusted = trusted;
    }
  }
  const response = await fetch(
    `${jupyter.url}api/contents/${encodeURIComponent(name)}`,
    {
      method: 'PUT',
      headers: {
        Authorization: `token ${jupyter.token}`,
        'Content-Type': 'application/json'
      },
      body: JSON.stringify({ type: 'notebook', format: 'json', content })
    }
  );
  if (!response.ok) {
    throw new Error(`PUT ${name}: ${response.status} ${await response.text()}`);
  }
}

/** One exchange of the page, as seen on the wire. */
export interface IExchange {
  url: string;
  method: string;
  requestHeaders: Record<string, string>;
  requestBody: string;
  status?: number;
  responseHeaders?: Record<string, string>;
  responseBody?: string;
}

/** Records every request of `page` and its answer (headers and bodies). */
export function recordExchanges(page: Page): {
  exchanges: IExchange[];
  settled: (timeoutMs?: number) => Promise<void>;
} {
  const exchanges: IExchange[] = [];
  const pending: Promise<void>[] = [];
  page.on('request', request => {
    const exchange: IExchange = {
      url: request.url(),
      method: request.method(),
      requestHeaders: {},
      requestBody: request.postData() ?? ''
    };
    exchanges.push(exchange);
    pending.push(
      request
        .allHeaders()
        .then(headers => void (exchange.requestHeaders = headers))
        .catch(() => undefined)
    );
    pending.push(
      request
        .response()
        .then(async response => {
          if (!response) {
            return;
          }
          exchange.status = response.status();
          exchange.responseHeaders = await response.allHeaders();
          exchange.responseBody = (await response.body()).toString('latin1');
        })
        .catch(() => undefined)
    );
  });
  return {
    exchanges,
    // Answers still pending after `timeoutMs` are left out (a request that never ends).
    settled: async (timeoutMs = 10_000) => {
      const all = (async () => {
        for (let done = 0; done < pending.length;) {
          const batch = pending.slice(done);
          done = pending.length;
          await Promise.all(batch);
        }
      })();
      await Promise.race([
        all,
        new Promise(resolve => setTimeout(resolve, timeoutMs))
      ]);
    }
  };
}
