/** Tablets: enrol one (org unit + forms → one-time code as large text and QR), list, rename, re-assign, revoke. */
import { useState, type FormEvent } from 'react';
import { Button } from '../../ui';
import {
  createEnrolment, listDevices, listForms, listOrgUnits, revokeDevice, updateDevice,
  type DeviceDto, type EnrolmentDto, type FormDto, type OrgUnitDto,
} from '../../api/admin';
import type { ConsolePageProps } from '../console/registry';
import { errText, fmtTime, FormChecklist, LoadError, Message, OrgUnitSelect, Section, unitLabel, useLoad } from './common';
import { QrCode } from './QrCode';
import { adminStrings } from './strings';
import './admin.css';

/** "ABCDE-FGHJK": easier to read aloud and type; the kiosk accepts it with or without the dash. */
export function groupCode(code: string): string {
  return code.length === 10 ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}

function Enrol({ units, forms }: { units: OrgUnitDto[]; forms: FormDto[] }) {
  const { t, lang } = adminStrings.useStrings();
  const [orgUnitId, setOrgUnitId] = useState('');
  const [formIds, setFormIds] = useState<string[]>([]);
  const [label, setLabel] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [enrolment, setEnrolment] = useState<EnrolmentDto | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!orgUnitId) return setError(t('pickOrgUnit'));
    if (formIds.length === 0) return setError(t('pickForms'));
    setBusy(true);
    setError(null);
    try {
      setEnrolment(await createEnrolment({ orgUnitId, formIds, ...(label.trim() ? { label: label.trim() } : {}) }));
    } catch (err) {
      setError(errText(err, lang));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Section title={t('enrolTitle')} testId="enrol-section">
      <p className="cw-note">{t('enrolIntro')}</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <OrgUnitSelect units={units} value={orgUnitId} onChange={setOrgUnitId} label={t('enrolOrgUnit')} levels={['village', 'group']} testId="enrol-orgunit" />
        {forms.length ? <FormChecklist forms={forms} value={formIds} onChange={setFormIds} legend={t('enrolForms')} testId="enrol-forms" /> : <p>{t('enrolNoForms')}</p>}
        <label className="cw-field">{t('enrolLabel')}
          <input value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} data-testid="enrol-label" />
        </label>
        <Message ok={false} text={error} testId="enrol-create-error" />
        <Button type="submit" disabled={busy} data-testid="enrol-create">{t('enrolCreate')}</Button>
      </form>
      {enrolment ? (
        <div className="cwc-card cwc-enrolment" data-testid="enrolment-result">
          <div>
            <p>{t('enrolCode')}({unitLabel(units, enrolment.orgUnitId, lang, '')})</p>
            <p className="cwc-code" data-testid="enrolment-code" data-code={enrolment.code}>{groupCode(enrolment.code)}</p>
            <p className="cw-note">{t('enrolExpires', { time: fmtTime(enrolment.expiresAt, lang) })}</p>
          </div>
          <QrCode text={enrolment.code} label={t('enrolQr')} testId="enrolment-qr" />
        </div>
      ) : null}
    </Section>
  );
}

function DeviceEditor({ device, units, forms, onChanged, onClose }: {
  device: DeviceDto; units: OrgUnitDto[]; forms: FormDto[]; onChanged: (d: DeviceDto) => void; onClose: () => void;
}) {
  const { t, lang } = adminStrings.useStrings();
  const [label, setLabel] = useState(device.label);
  const [orgUnitId, setOrgUnitId] = useState(device.orgUnitId);
  const [formIds, setFormIds] = useState<string[]>(device.formIds);
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (action: () => Promise<DeviceDto>) => {
    setBusy(true);
    setMsg(null);
    try {
      onChanged(await action());
      setMsg({ ok: true, text: t('saved') });
    } catch (err) {
      setMsg({ ok: false, text: errText(err, lang) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="cwc-card cwc-edit" data-testid={`device-edit-${device.id}`}>
      <div className="cwc-filters">
        <label className="cw-field">{t('devicesLabel')}
          <input value={label} maxLength={100} onChange={(e) => setLabel(e.target.value)} data-testid="device-label" />
        </label>
        <Button disabled={busy || !label.trim()} onClick={() => void run(() => updateDevice(device.id, { label: label.trim() }))} data-testid="device-rename">
          {t('devicesRename')}
        </Button>
      </div>
      <OrgUnitSelect units={units} value={orgUnitId} onChange={setOrgUnitId} label={t('devicesOrgUnit')} levels={['village', 'group']} />
      <FormChecklist forms={forms} value={formIds} onChange={setFormIds} legend={t('devicesForms')} />
      <div className="cw-row">
        <Button disabled={busy || !orgUnitId || formIds.length === 0} onClick={() => void run(() => updateDevice(device.id, { orgUnitId, formIds }))} data-testid="device-reassign">
          {t('devicesReassign')}
        </Button>
        {device.revokedAt ? null : (
          <Button variant="danger" disabled={busy} data-testid="device-revoke"
            onClick={() => { if (window.confirm(t('devicesRevokeConfirm', { name: device.label }))) void run(() => revokeDevice(device.id)); }}>
            {t('devicesRevoke')}
          </Button>
        )}
        <Button variant="secondary" onClick={onClose}>{t('close')}</Button>
      </div>
      <Message ok={msg?.ok ?? false} text={msg?.text ?? null} testId="device-edit-message" />
    </div>
  );
}

export default function DevicesPage(_props: ConsolePageProps) {
  const { t, lang } = adminStrings.useStrings();
  const data = useLoad(async () => {
    const [units, forms, devices] = await Promise.all([listOrgUnits(), listForms({ status: 'published' }), listDevices()]);
    return { units, forms, devices };
  }, []);
  const [devices, setDevices] = useState<DeviceDto[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [showRevoked, setShowRevoked] = useState(false);

  if (data.error) return <LoadError error={data.error} onRetry={data.reload} />;
  if (!data.data) return <p>{t('loading')}</p>;
  const { units, forms } = data.data;
  const all = devices ?? data.data.devices;
  const shown = all.filter((d) => showRevoked || !d.revokedAt);
  const formTitle = (id: string) => {
    const f = forms.find((x) => x.id === id);
    return f ? (lang === 'en' && f.title.en ? f.title.en : f.title.zh) : id;
  };
  const upsert = (d: DeviceDto) => setDevices(all.map((x) => (x.id === d.id ? d : x)));

  return (
    <div data-testid="devices-page">
      <h2>{t('devicesTitle')}</h2>
      <Enrol units={units} forms={forms} />
      <Section title={t('devicesList')} testId="devices-list">
        <div className="cw-row">
          <Button variant="secondary" onClick={() => { setDevices(null); data.reload(); }}>{t('retry')}</Button>
          <label className="cw-check"><input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} />{t('devicesShowRevoked')}</label>
        </div>
        {shown.length === 0 ? <p>{t('devicesEmpty')}</p> : (
          <table className="cwc-table">
            <thead><tr><th>{t('devicesLabel')}</th><th>{t('devicesOrgUnit')}</th><th>{t('devicesForms')}</th><th>{t('devicesLastSeen')}</th><th>{t('devicesStatus')}</th><th /></tr></thead>
            <tbody>
              {shown.map((d) => (
                <tr key={d.id} data-testid="device-row">
                  <td>{d.label}</td>
                  <td>{unitLabel(units, d.orgUnitId, lang, '')}</td>
                  <td>{d.formIds.map(formTitle).join('、')}</td>
                  <td>{d.lastSeenAt ? fmtTime(d.lastSeenAt, lang) : t('devicesNever')}</td>
                  <td>{d.revokedAt ? <span className="cw-error">{t('devicesRevoked', { time: fmtTime(d.revokedAt, lang) })}</span> : t('devicesActive')}</td>
                  <td><Button variant="secondary" onClick={() => setEditing(editing === d.id ? null : d.id)} data-testid="device-edit-open">{t('edit')}</Button></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {editing ? (() => {
          const d = all.find((x) => x.id === editing);
          return d ? <DeviceEditor key={d.id} device={d} units={units} forms={forms} onChanged={upsert} onClose={() => setEditing(null)} /> : null;
        })() : null}
      </Section>
    </div>
  );
}
