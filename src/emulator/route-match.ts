/** Matches a request to a route declared with the spec's path template (`/roles/{role_id}`), filling its parameters. */

export interface RouteShape {
  readonly method: string;
  readonly path: string;
}

export interface RouteMatch<R extends RouteShape> {
  readonly route: R;
  readonly params: Record<string, string>;
}

export function matchRoute<R extends RouteShape>(routes: readonly R[], method: string, pathname: string): RouteMatch<R> | undefined {
  const segments = pathname.split('/');
  for (const route of routes) {
    if (route.method !== method) continue;
    const template = route.path.split('/');
    if (template.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = template.every((part, i) => {
      const segment = segments[i]!;
      if (!part.startsWith('{')) return part === segment;
      params[part.slice(1, -1)] = decodeURIComponent(segment);
      return segment !== '';
    });
    if (matches) return { route, params };
  }
  return undefined;
}
