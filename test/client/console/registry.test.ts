/** @jest-environment jsdom */
import { canOpen, RouteRegistry, rolesOf, type ConsoleRoute } from '../../../client/src/features/console/registry';
import { navigate } from '../../../client/src/features/console/router';
import type { MeDto } from '../../../common/api/access';

const page = () => Promise.resolve({ default: () => null });
const route = (path: string, extra: Partial<ConsoleRoute> = {}): ConsoleRoute => ({ path, label: { zh: path }, load: page, ...extra });

test('match: exact path and everything below it; the longest registered path wins; rest is decoded', () => {
  const r = new RouteRegistry();
  r.register(route('/console/review'));
  r.register(route('/console/reports'));
  r.register(route('/console/reports/targets'));
  expect(r.match('/console/review')?.route.path).toBe('/console/review');
  expect(r.match('/console/review/')?.rest).toEqual([]);
  expect(r.match('/console/review/abc%20d/x')).toEqual({ route: expect.objectContaining({ path: '/console/review' }), rest: ['abc d', 'x'] });
  expect(r.match('/console/reports/targets/2026')?.route.path).toBe('/console/reports/targets');
  expect(r.match('/console/reports/other')?.route.path).toBe('/console/reports');
  // a segment boundary, not a string prefix
  expect(r.match('/console/reviewers')).toBeNull();
  expect(r.match('/console')).toBeNull();
  expect(r.match('/console/unknown')).toBeNull();
});

test('register refuses paths outside /console, duplicates and a missing zh label', () => {
  const r = new RouteRegistry();
  r.register(route('/console/users'));
  expect(() => r.register(route('/console/users'))).toThrow(/twice/);
  expect(() => r.register(route('/users'))).toThrow(/\/console/);
  expect(() => r.register(route('/console/Users'))).toThrow();
  expect(() => r.register(route('/console/x/'))).toThrow();
  expect(() => r.register({ ...route('/console/y'), label: { zh: '', en: 'Y' } })).toThrow(/zh-CN/);
});

test('navigation: ordered by `order` then path, filtered by roles, nav:false hidden but openable', () => {
  const r = new RouteRegistry();
  r.register(route('/console/audit', { roles: ['admin'], order: 90 }));
  r.register(route('/console/reports', { roles: ['admin', 'analyst'], order: 40 }));
  r.register(route('/console/help'));
  r.register(route('/console/review/deep', { roles: ['reviewer'], nav: false }));
  expect(r.list().map((x) => x.path)).toEqual(['/console/reports', '/console/audit', '/console/help', '/console/review/deep']);
  expect(r.navFor(['analyst']).map((x) => x.path)).toEqual(['/console/reports', '/console/help']);
  expect(r.navFor(['admin']).map((x) => x.path)).toEqual(['/console/reports', '/console/audit', '/console/help']);
  expect(r.allowed(['reviewer']).map((x) => x.path)).toEqual(['/console/help', '/console/review/deep']);
  expect(r.navFor(['reviewer']).map((x) => x.path)).toEqual(['/console/help']);
  expect(canOpen(route('/console/a', { roles: [] }), [])).toBe(true);
  expect(canOpen(route('/console/a', { roles: ['designer'] }), ['enumerator'])).toBe(false);
});

test('rolesOf: the distinct roles of a user on any org unit', () => {
  const me = {
    user: { id: 'u', username: 'u', displayName: 'U', disabled: false, createdAt: '', updatedAt: '', roles: [
      { role: 'reviewer', orgUnitId: 't1' }, { role: 'reviewer', orgUnitId: 't2' }, { role: 'enumerator', orgUnitId: 'v1' },
    ] },
    csrfToken: 'x', expiresAt: '',
  } satisfies MeDto;
  expect(rolesOf(me).sort()).toEqual(['enumerator', 'reviewer']);
});

test('the console routes of the app are valid and lazily loaded', async () => {
  const { consoleRoutes } = await import('../../../client/src/features/console/routes');
  const paths = consoleRoutes.list().map((r) => r.path);
  expect(paths).toEqual(expect.arrayContaining(['/console/users', '/console/devices', '/console/review', '/console/audit']));
  for (const r of consoleRoutes.list()) expect(typeof r.load).toBe('function');
});

test('navigate pushes a history entry and notifies listeners; replace does not add one', () => {
  const seen: string[] = [];
  const listener = () => seen.push(window.location.pathname + window.location.search);
  window.addEventListener('cunwen:navigate', listener);
  const before = window.history.length;
  navigate('/console/users');
  navigate('/console/users'); // same place: nothing
  navigate('/console/review?state=approved', { replace: true });
  window.removeEventListener('cunwen:navigate', listener);
  expect(seen).toEqual(['/console/users', '/console/review?state=approved']);
  expect(window.history.length).toBe(before + 1);
});
