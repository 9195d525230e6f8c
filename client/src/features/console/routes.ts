/**
 * Console routes of every feature, registered in one place (the console shell composes features;
 * features never import each other). Each page is a separate lazily loaded chunk.
 * Add yours as a block below — see README.md in this folder.
 */
import { consoleRoutes } from './registry';

// ---- the shell's own pages ----
consoleRoutes.register({
  path: '/console/account', label: { zh: '我的账号', en: 'My account' }, order: 1000, nav: false,
  load: () => import('./AccountPage'),
});

// ---- access (issue 3): client/src/features/admin ----
consoleRoutes.register({
  path: '/console/review', label: { zh: '审核答卷', en: 'Review' }, roles: ['admin', 'reviewer', 'analyst'], order: 10,
  load: () => import('../admin/ReviewPage'),
});
consoleRoutes.register({
  path: '/console/devices', label: { zh: '平板管理', en: 'Tablets' }, roles: ['admin', 'enumerator'], order: 20,
  load: () => import('../admin/DevicesPage'),
});
consoleRoutes.register({
  path: '/console/users', label: { zh: '用户与角色', en: 'Users' }, roles: ['admin'], order: 80,
  load: () => import('../admin/UsersPage'),
});
consoleRoutes.register({
  path: '/console/audit', label: { zh: '审计日志', en: 'Audit log' }, roles: ['admin'], order: 90,
  load: () => import('../admin/AuditPage'),
});

// ---- reports (issue 5): client/src/features/reports (ECharts only in this chunk) ----
consoleRoutes.register({
  path: '/console/reports',
  label: { zh: '统计报表', en: 'Reports' },
  roles: ['admin', 'analyst'],
  load: () => import('../reports/ReportsPage'),
  order: 40,
});

// ---- designer (issue 6): client/src/features/designer (survey-react-ui preview, dnd-kit, CodeMirror only in this chunk) ----
consoleRoutes.register({
  path: '/console/designer',
  label: { zh: '问卷设计', en: 'Form designer' },
  roles: ['admin', 'designer'],
  load: () => import('../designer/DesignerPage'),
  order: 30,
});

export { consoleRoutes };
