/** Presentational building blocks of the kiosk: big touch targets, high contrast. No data access. */
import type { ButtonHTMLAttributes, ReactNode } from 'react';
import './styles.css';

export function Button({ variant = 'primary', className = '', ...props }: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: 'primary' | 'secondary' | 'danger' | 'header' }) {
  const cls = `cw-btn${variant === 'primary' ? '' : ` cw-btn--${variant}`}${className ? ` ${className}` : ''}`;
  return <button type="button" className={cls} {...props} />;
}

export function Screen({ title, actions, children, testId }: { title: string; actions?: ReactNode; children: ReactNode; testId?: string }) {
  return (
    <div className="cw-screen" data-testid={testId}>
      <header className="cw-header">
        <h1>{title}</h1>
        {actions}
      </header>
      <main className="cw-main">{children}</main>
    </div>
  );
}

export function Dialog({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <div className="cw-overlay" role="dialog" aria-modal="true" aria-label={title} data-testid={testId}>
      <div className="cw-dialog">
        <h2>{title}</h2>
        {children}
      </div>
    </div>
  );
}

export function Stat({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <div className="cw-stat">
      <b data-testid={testId}>{value}</b>
      {label}
    </div>
  );
}
