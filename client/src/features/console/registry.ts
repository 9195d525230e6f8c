/**
 * The console's extension point: a feature registers a route; the shell shows it in the
 * navigation bar (when the user holds one of its roles) and loads its page lazily on first visit.
 * Pure TypeScript (no React rendering, no CSS) so it is unit-testable.
 *
 * A route matches its own path and everything below it (`/console/review` also serves
 * `/console/review/abc123`); the longest matching path wins. The page gets the rest of the path
 * as `rest` (['abc123']) and does its own sub-routing.
 */
import type { ComponentType } from 'react';
import type { MeDto } from '../../../../common/api/access';
import type { Role } from '../../../../common/api/access';

export interface LocalizedLabel {
  zh: string;
  en?: string;
}

/** What a console page receives. */
export interface ConsolePageProps {
  /** the signed-in user (roles with their org units), CSRF already handled by staffFetch */
  me: MeDto;
  /** path segments after the route's path, decoded */
  rest: string[];
  /** the current query string */
  query: URLSearchParams;
  /** navigate within the console */
  navigate: (to: string, options?: { replace?: boolean }) => void;
}

export interface ConsoleRoute {
  /** absolute, under /console, no trailing slash: `/console/reports` */
  path: string;
  label: LocalizedLabel;
  /** who sees it: a user holding any of these roles (anywhere). Omitted or empty: every signed-in user. */
  roles?: readonly Role[];
  /** lazily imported page module; its default export is the page */
  load: () => Promise<{ default: ComponentType<ConsolePageProps> }>;
  /** show in the navigation bar (default true); false for deep pages reached by links */
  nav?: boolean;
  /** position in the navigation bar, ascending (default 100) */
  order?: number;
}

export interface RouteMatch {
  route: ConsoleRoute;
  rest: string[];
}

const PATH_RE = /^\/console(\/[a-z0-9][a-z0-9-]*)+$/;

export class RouteRegistry {
  private readonly routes: ConsoleRoute[] = [];

  register(route: ConsoleRoute): void {
    if (!PATH_RE.test(route.path)) throw new Error(`console route path must look like /console/name: ${route.path}`);
    if (this.routes.some((r) => r.path === route.path)) throw new Error(`console route registered twice: ${route.path}`);
    if (!route.label.zh) throw new Error(`console route needs a zh-CN label: ${route.path}`);
    this.routes.push(route);
  }

  /** every route, in navigation order */
  list(): ConsoleRoute[] {
    return [...this.routes].sort((a, b) => (a.order ?? 100) - (b.order ?? 100) || a.path.localeCompare(b.path));
  }

  /** routes the user may open */
  allowed(roles: readonly Role[]): ConsoleRoute[] {
    return this.list().filter((r) => canOpen(r, roles));
  }

  /** routes shown in the navigation bar for the user */
  navFor(roles: readonly Role[]): ConsoleRoute[] {
    return this.allowed(roles).filter((r) => r.nav !== false);
  }

  /** the route serving `pathname` (longest path prefix on a segment boundary), or null */
  match(pathname: string): RouteMatch | null {
    const clean = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
    let best: ConsoleRoute | null = null;
    for (const r of this.routes) {
      if (clean === r.path || clean.startsWith(`${r.path}/`)) {
        if (!best || r.path.length > best.path.length) best = r;
      }
    }
    if (!best) return null;
    const rest = clean.slice(best.path.length).split('/').filter(Boolean).map(safeDecode);
    return { route: best, rest };
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

export function canOpen(route: ConsoleRoute, roles: readonly Role[]): boolean {
  return !route.roles || route.roles.length === 0 || route.roles.some((r) => roles.includes(r));
}

/** the distinct roles a user holds, on any org unit */
export function rolesOf(me: MeDto): Role[] {
  return [...new Set(me.user.roles.map((r) => r.role))];
}

/** The console's registry; features add their routes in `routes.ts`. */
export const consoleRoutes = new RouteRegistry();
