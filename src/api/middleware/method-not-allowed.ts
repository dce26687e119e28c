import type { App } from '../types';

/**
 * The methods the app answers on a path, from its route table (middleware, registered for every method, is left
 * out). Used by the not-found handler: a path that exists with other methods is a 405 with `Allow`, not a 404.
 * Built on first use, when every route is registered.
 */
export function allowedMethods(app: App): (path: string) => string[] {
  let table: { pattern: RegExp; method: string }[] | undefined;
  const build = () =>
    app.routes
      .filter((r) => r.method !== 'ALL')
      .map((r) => ({ pattern: patternOf(r.path), method: r.method.toUpperCase() }));
  return (path) => {
    table ??= build();
    const methods = new Set(table.filter((r) => r.pattern.test(path)).map((r) => r.method));
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
