import { authHeader } from './env';

/** One operation of the OpenAPI document, its path parameters filled in. */
export interface Route {
  readonly method: string;
  /** The document's path template, e.g. /api/v1/runs/{runId}. */
  readonly template: string;
  /** The template with its parameters filled. */
  readonly path: string;
  readonly mutating: boolean;
  /** Touches one workflow or run (a `workflowId` or `runId` in the path). */
  readonly scoped: boolean;
}

const METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

/** Routes that need no token: health probes and Prometheus metrics. */
export const PUBLIC = ['/health', '/metrics'];

/**
 * Every operation the running API documents (`GET /api/docs-json`, read at
 * run time so a route added later is covered too), its path parameters
 * taken from `values`; a parameter without a value fails the suite, so a new
 * kind of route cannot slip past it untested.
 */
export async function documentedRoutes(
  baseUrl: string,
  values: Readonly<Record<string, string>>,
): Promise<Route[]> {
  const response = await fetch(`${baseUrl}/api/docs-json`, { signal: AbortSignal.timeout(10_000) });
  if (response.status !== 200)
    throw new Error(`GET /api/docs-json answered ${response.status} without a token`);
  const document = (await response.json()) as { paths: Record<string, Record<string, unknown>> };
  const routes: Route[] = [];
  for (const [template, operations] of Object.entries(document.paths)) {
    // Public by contract (probes and scrapers carry no token): checked apart.
    if (PUBLIC.some((prefix) => template.startsWith(prefix))) continue;
    for (const method of METHODS) {
      if (!(method in operations)) continue;
      const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
        const value = values[name];
        if (value === undefined)
          throw new Error(`route ${template} has parameter ${name}: give the suite a value for it`);
        return encodeURIComponent(value);
      });
      routes.push({
        method: method.toUpperCase(),
        template,
        path,
        mutating: method !== 'get' && !READ_ONLY_POSTS.has(template),
        scoped: /\{(workflowId|runId)\}/.test(template),
      });
    }
  }
  return routes;
}

/**
 * Calls a route and answers its status only (the body is dropped: the SSE
 * stream never ends). A mutating call sends a JSON body, or `pushBody` as
 * YAML to the push route, unless `contentType` says otherwise.
 */
export async function statusOf(
  baseUrl: string,
  route: Route,
  token: string | undefined,
  options: { pushBody?: string; contentType?: string } = {},
): Promise<number> {
  try {
    return await statusOnce(baseUrl, route, token, options);
  } catch (error) {
    // A keep-alive connection the server closed just as it was reused: send it again, once.
    const cause = (error as Error).cause as { code?: string; message?: string } | undefined;
    if (cause?.code !== 'UND_ERR_SOCKET' && cause?.code !== 'ECONNRESET') throw error;
    return statusOnce(baseUrl, route, token, options);
  }
}

async function statusOnce(
  baseUrl: string,
  route: Route,
  token: string | undefined,
  options: { pushBody?: string; contentType?: string },
): Promise<number> {
  const push = route.method === 'POST' && route.template === '/api/v1/workflows';
  const contentType = options.contentType ?? (push ? 'application/yaml' : 'application/json');
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), 15_000);
  try {
    const response = await fetch(`${baseUrl}${route.path}`, {
      method: route.method,
      headers: {
        ...(token === undefined ? {} : authHeader(token)),
        ...(route.method === 'GET' ? {} : { 'content-type': contentType }),
      },
      body: route.method === 'GET' ? undefined : push ? (options.pushBody ?? 'id: x') : '{}',
      signal: abort.signal,
    });
    abort.abort();
    return response.status;
  } finally {
    clearTimeout(timer);
  }
}

/** POSTs that store nothing and so need only read (converting a Maestro document; `?push=true` asks admin). */
const READ_ONLY_POSTS: ReadonlySet<string> = new Set(['/api/v1/import/maestro']);
