import type { IncomingMessage, ServerResponse } from 'node:http';

interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): boolean;
}
type RoutedRequest = IncomingMessage & { app?: { router?: { stack?: RouteLayer[] } } };
type Next = () => void;

/**
 * Answers 405 with an `Allow` header when the path is a route of the API but
 * not for this method (Express would answer 404, which says the path does
 * not exist). It reads Express's route table at request time, once Nest has
 * registered the routes.
 */
export function methodNotAllowed(prefix = '/') {
  return (req: RoutedRequest, res: ServerResponse, next: Next): void => {
    const path = (req.url ?? '/').split('?')[0];
    const method = (req.method ?? 'GET').toLowerCase();
    if (!path.startsWith(prefix) || method === 'options') {
      next();
      return;
    }
    const allowed = new Set<string>();
    for (const layer of req.app?.router?.stack ?? []) {
      if (layer.route === undefined || !layer.match(path)) continue;
      for (const [name, on] of Object.entries(layer.route.methods)) if (on) allowed.add(name);
    }
    if (allowed.has('get')) allowed.add('head');
    if (allowed.size === 0 || allowed.has(method) || allowed.has('_all')) {
      next();
      return;
    }
    const allow = [...allowed]
      .map((m) => m.toUpperCase())
      .sort()
      .join(', ');
    const message = `${req.method} is not allowed on ${path}; allowed: ${allow}`;
    res.statusCode = 405;
    res.setHeader('Allow', allow);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify({ statusCode: 405, message }));
  };
}
