/**
 * Console routes of every feature, registered in one place (the console shell composes features;
 * features never import each other). Each page is a separate lazily loaded chunk.
 * Add yours as a block below — see README.md in this folder.
 */
import { consoleRoutes } from './registry';

// ---- access (issue 3): client/src/features/admin ----
// (registered below once the pages exist)

// ---- reports (issue 5): client/src/features/reports (ECharts only in this chunk) ----
consoleRoutes.register({
  path: '/console/reports',
  label: { zh: '统计报表', en: 'Reports' },
  roles: ['admin', 'analyst'],
  load: () => import('../reports/ReportsPage'),
  order: 40,
});

export { consoleRoutes };
