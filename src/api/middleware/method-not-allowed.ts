import type { App } from '../types';

/**
 * The methods the app answers on a path, from its route table (middleware, registered for every method, is left
 * out). Used by the not-found handler: a path that exists with other methods is a 405 with `Allow`, not a 404.
 * Built on first use, when every route is registered.
 */
export function allowedMethods(app: App): (path: string) => string[] {
  let table: { pattern: RegExp; method: string; literal: boolean }[] | undefined;
  const build = () =>
    app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ pattern: patternOf(r.path), method: r.method.toUpperCase(), literal: !/[:*]/.test(r.path) }));
  return (path) => {
    table ??= build();
    let matches = table.filter((r) => r.pattern.test(path));
    // A literal path is its own resource (OpenAPI matches concrete paths before templated ones):
    // `/v1/meals/batch` allows POST only, even though `/v1/meals/{mealId}` would read "batch" as an id.
    if (matches.some((r) => r.literal)) matches = matches.filter((r) => r.literal);
    const methods = new Set(matches.map((r) => r.method));
    // Hono answers HEAD with the GET handler.
    if (methods.has('GET')) methods.add('HEAD');
    return [...methods].sort();
  };
}

/** A Hono route path (`/v1/meals/:mealId`, `:name{regex}`, `*`) as an anchored regular expression. */
function patternOf(path: string): RegExp {
  let re = '';
  for (const part of path.split(/(:[A-Za-z0-9_]+(?:\{[^}]*\})?\??|\*)/)) {
    if (part === '*') re += '.*';
    else if (part.startsWith(':')) {
      const custom = /\{([^}]*)\}/.exec(part)?.[1];
      re += `(?:${custom ?? '[^/]+'})${part.endsWith('?') ? '?' : ''}`;
    } else re += part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
