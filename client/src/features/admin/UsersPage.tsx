/** Users and roles in the admin's subtree: list, create, disable, reset password, roles on org units. */
import { useState, type FormEvent } from 'react';
import { Button } from '../../ui';
import { createUser, listOrgUnits, listUsers, resetPassword, revokeSessions, updateUser, type OrgUnitDto, type UserDto } from '../../api/admin';
import { ROLES, type Role, type RoleAssignment } from '../../../../common/api/access';
import type { ConsolePageProps } from '../console/registry';
import { errText, LoadError, Message, OrgUnitSelect, Section, unitLabel, useLoad } from './common';
import { adminStrings } from './strings';
import './admin.css';

/** Can the signed-in user grant system-wide roles (only a system-wide admin can)? */
function isSystemAdmin(me: ConsolePageProps['me']): boolean {
  return me.user.roles.some((r) => r.role === 'admin' && r.orgUnitId === null);
}

function RoleAdder({ units, systemWide, onAdd, testId }: { units: OrgUnitDto[]; systemWide: boolean; onAdd: (a: RoleAssignment) => void; testId?: string }) {
  const { t } = adminStrings.useStrings();
  const [role, setRole] = useState<Role>('enumerator');
  const [unit, setUnit] = useState('');
  const canAdd = unit !== '' || systemWide;
  return (
    <div className="cwc-filters" data-testid={testId}>
      <label className="cw-field">
        {t('usersRole')}
        <select value={role} onChange={(e) => setRole(e.target.value as Role)} data-testid={testId ? `${testId}-role` : undefined}>
          {ROLES.map((r) => <option key={r} value={r}>{t(`role_${r}`)}</option>)}
        </select>
      </label>
      <OrgUnitSelect units={units} value={unit} onChange={setUnit} label={t('usersOrgUnit')}
        allowNone={systemWide} noneLabel={t('everywhere')} testId={testId ? `${testId}-unit` : undefined} />
      <Button variant="secondary" disabled={!canAdd} onClick={() => onAdd({ role, orgUnitId: unit === '' ? null : unit })} data-testid={testId ? `${testId}-add` : undefined}>
        {t('usersAddRole')}
      </Button>
    </div>
  );
}

function RoleList({ roles, units, onRemove }: { roles: RoleAssignment[]; units: OrgUnitDto[]; onRemove?: (i: number) => void }) {
  const { t, lang } = adminStrings.useStrings();
  if (roles.length === 0) return <p className="cw-note">{t('none')}</p>;
  return (
    <ul className="cwc-roles">
      {roles.map((r, i) => (
        <li key={`${r.role}@${r.orgUnitId ?? '*'}`}>
          <span>{t(`role_${r.role}`)} · {unitLabel(units, r.orgUnitId, lang, t('everywhere'))}</span>
          {onRemove ? <Button variant="secondary" onClick={() => onRemove(i)}>{t('remove')}</Button> : null}
        </li>
      ))}
    </ul>
  );
}

function sameAssignment(a: RoleAssignment, b: RoleAssignment) {
  return a.role === b.role && a.orgUnitId === b.orgUnitId;
}

function CreateUser({ units, systemWide, onCreated }: { units: OrgUnitDto[]; systemWide: boolean; onCreated: (u: UserDto) => void }) {
  const { t, lang } = adminStrings.useStrings();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<RoleAssignment[]>([]);
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !displayName.trim() || !password) return setMsg({ ok: false, text: t('usersFieldsMissing') });
    if (password.length < 10) return setMsg({ ok: false, text: t('usersPasswordShort') });
    if (roles.length === 0) return setMsg({ ok: false, text: t('usersNoRoles') });
    setBusy(true);
    try {
      const u = await createUser({ username: username.trim(), displayName: displayName.trim(), password, roles });
      setMsg({ ok: true, text: t('usersCreated', { name: u.displayName }) });
      setUsername('');
      setDisplayName('');
      setPassword('');
      setRoles([]);
      onCreated(u);
    } catch (err) {
      setMsg({ ok: false, text: errText(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('usersNew')} testId="user-create">
      <form onSubmit={(e) => void submit(e)} noValidate>
        <div className="cwc-filters">
          <label className="cw-field">{t('usersUsername')}
            <input value={username} autoCapitalize="none" spellCheck={false} autoComplete="off" onChange={(e) => setUsername(e.target.value)} data-testid="user-new-username" />
          </label>
          <label className="cw-field">{t('usersDisplayName')}
            <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} data-testid="user-new-name" />
          </label>
          <label className="cw-field">{t('usersPassword')}
            <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="user-new-password" />
          </label>
        </div>
        <RoleList roles={roles} units={units} onRemove={(i) => setRoles(roles.filter((_, j) => j !== i))} />
        <RoleAdder units={units} systemWide={systemWide} testId="user-new-roles"
          onAdd={(a) => setRoles((rs) => (rs.some((r) => sameAssignment(r, a)) ? rs : [...rs, a]))} />
        <Message ok={msg?.ok ?? false} text={msg?.text ?? null} testId="user-create-message" />
        <Button type="submit" disabled={busy} data-testid="user-create-submit">{t('usersCreate')}</Button>
      </form>
    </Section>
  );
}

function EditUser({ user, units, systemWide, onChanged, onClose }: {
  user: UserDto; units: OrgUnitDto[]; systemWide: boolean; onChanged: (u: UserDto) => void; onClose: () => void;
}) {
  const { t, lang } = adminStrings.useStrings();
  const [displayName, setDisplayName] = useState(user.displayName);
  const [roles, setRoles] = useState<RoleAssignment[]>(user.roles);
  const [password, setPassword] = useState('');
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<string>) => {
    setBusy(true);
    setMsg(null);
    try {
      setMsg({ ok: true, text: await action() });
    } catch (err) {
      setMsg({ ok: false, text: errText(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  const save = () => run(async () => {
    if (roles.length === 0) throw new Error(t('usersNoRoles'));
    const u = await updateUser(user.id, { displayName: displayName.trim(), roles });
    onChanged(u);
    return t('saved');
  });

  return (
    <div className="cwc-card cwc-edit" data-testid={`user-edit-${user.username}`}>
      <h3>{user.displayName}({user.username})</h3>
      <label className="cw-field">{t('usersDisplayName')}
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <h4>{t('usersRoles')}</h4>
      <RoleList roles={roles} units={units} onRemove={(i) => setRoles(roles.filter((_, j) => j !== i))} />
      <RoleAdder units={units} systemWide={systemWide} testId="user-edit-roles"
        onAdd={(a) => setRoles((rs) => (rs.some((r) => sameAssignment(r, a)) ? rs : [...rs, a]))} />
      <div className="cw-row">
        <Button disabled={busy} onClick={() => void save()} data-testid="user-edit-save">{t('save')}</Button>
        <Button variant="secondary" onClick={onClose}>{t('close')}</Button>
      </div>
      <div className="cwc-filters">
        <label className="cw-field">{t('usersNewPassword')}
          <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="user-reset-password" />
        </label>
        <Button variant="secondary" disabled={busy || password.length < 10} data-testid="user-reset-submit"
          onClick={() => void run(async () => { await resetPassword(user.id, password); setPassword(''); return t('usersPasswordReset'); })}>
          {t('usersResetPassword')}
        </Button>
        <Button variant="secondary" disabled={busy}
          onClick={() => void run(async () => t('usersSessionsRevoked', { n: (await revokeSessions(user.id)).revoked }))}>
          {t('usersRevokeSessions')}
        </Button>
        <Button variant={user.disabled ? 'secondary' : 'danger'} disabled={busy} data-testid="user-toggle-disabled"
          onClick={() => {
            if (!user.disabled && !window.confirm(t('usersDisableConfirm', { name: user.displayName }))) return;
            void run(async () => { onChanged(await updateUser(user.id, { disabled: !user.disabled })); return t('saved'); });
          }}>
          {user.disabled ? t('usersEnable') : t('usersDisable')}
        </Button>
      </div>
      <Message ok={msg?.ok ?? false} text={msg?.text ?? null} testId="user-edit-message" />
    </div>
  );
}

export default function UsersPage({ me }: ConsolePageProps) {
  const { t, lang } = adminStrings.useStrings();
  const data = useLoad(async () => {
    const [users, units] = await Promise.all([listUsers(), listOrgUnits()]);
    return { users, units };
  }, []);
  const [editing, setEditing] = useState<string | null>(null);
  const [users, setUsers] = useState<UserDto[] | null>(null);
  const systemWide = isSystemAdmin(me);

  if (data.error) return <LoadError error={data.error} onRetry={data.reload} />;
  if (!data.data) return <p>{t('loading')}</p>;
  const units = data.data.units;
  const list = users ?? data.data.users;
  const upsert = (u: UserDto) => setUsers([...list.filter((x) => x.id !== u.id), u].sort((a, b) => a.username.localeCompare(b.username)));

  return (
    <div data-testid="users-page">
      <h2>{t('usersTitle')}</h2>
      {list.length === 0 ? <p>{t('usersEmpty')}</p> : (
        <table className="cwc-table" data-testid="users-table">
          <thead><tr><th>{t('usersUsername')}</th><th>{t('usersDisplayName')}</th><th>{t('usersRoles')}</th><th>{t('usersStatus')}</th><th /></tr></thead>
          <tbody>
            {list.map((u) => (
              <tr key={u.id} data-testid={`user-row-${u.username}`}>
                <td>{u.username}</td>
                <td>{u.displayName}</td>
                <td>{u.roles.map((r) => `${t(`role_${r.role}`)} · ${unitLabel(units, r.orgUnitId, lang, t('everywhere'))}`).join(';')}</td>
                <td>{u.disabled ? <span className="cwc-badge cw-error">{t('usersDisabled')}</span> : t('usersActive')}</td>
                <td><Button variant="secondary" onClick={() => setEditing(editing === u.id ? null : u.id)} data-testid={`user-edit-open-${u.username}`}>{t('edit')}</Button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {editing ? (() => {
        const u = list.find((x) => x.id === editing);
        return u ? <EditUser key={u.id} user={u} units={units} systemWide={systemWide} onChanged={upsert} onClose={() => setEditing(null)} /> : null;
      })() : null}
      <CreateUser units={units} systemWide={systemWide} onCreated={upsert} />
    </div>
  );
}
