/**
 * The enrolled tablet: credential, configuration, cached form versions and kiosk settings.
 * No React. Everything lives in the offline core's IndexedDB (meta + formVersions).
 */
import type { DeviceConfigDto, AssignedFormDto } from '../../../../common/api/devices';
import { enrolDevice, getDeviceConfig, getFormVersion } from '../../api';
import { deleteDb, getMeta, runTx, metaPut, STORES, formVersionKey, type KioskSettings } from '../../offline/db';
import { cacheFormVersion, listFormVersions, setCurrentFormVersions, type FormVersionRecord } from '../../offline/form-versions';
import { hashPin } from './pin';

export const DEFAULT_SETTINGS: KioskSettings = {
  idleSeconds: 180,
  promptSeconds: 30,
  showQuizAnswers: true,
  thankYouSeconds: 8,
};

export interface DeviceState {
  token: string;
  config: DeviceConfigDto;
  settings: KioskSettings;
}

export async function loadDevice(): Promise<DeviceState | null> {
  const [token, config, settings] = await Promise.all([getMeta('deviceToken'), getMeta('deviceConfig'), getMeta('kioskSettings')]);
  if (!token || !config) return null;
  return { token, config, settings: { ...DEFAULT_SETTINGS, ...(settings ?? {}) } };
}

export async function saveSettings(settings: KioskSettings): Promise<void> {
  await runTx(STORES.meta, 'readwrite', (tx) => metaPut(tx, 'kioskSettings', settings));
}

/**
 * Downloads the definition of every assigned form's latest version not yet on the device, and
 * marks exactly those versions current. A version that fails to download leaves the previously
 * current version of that form in place, so the kiosk keeps working offline.
 */
export async function cacheAssignedForms(config: DeviceConfigDto, token: string): Promise<{ failed: string[] }> {
  const cached = await listFormVersions();
  const have = new Set(cached.map((r) => r.key));
  const current: string[] = [];
  const failed: string[] = [];
  for (const form of config.forms) {
    if (form.status === 'archived') continue;
    const key = formVersionKey(form.formId, form.version);
    if (!have.has(key)) {
      try {
        const v = await getFormVersion(form.formId, form.version, token);
        await cacheFormVersion(form.formId, form.version, v.definition, { current: true });
      } catch {
        failed.push(key);
        for (const r of cached) if (r.formId === form.formId && r.current) current.push(r.key);
        continue;
      }
    }
    current.push(key);
  }
  await setCurrentFormVersions(current);
  return { failed };
}

/** Exchanges the enrolment code, stores credential + config + PIN, downloads the forms. */
export async function enrol(code: string, pin: string, deviceLabel?: string): Promise<DeviceState> {
  const { token, device } = await enrolDevice(code, deviceLabel);
  const staffPin = hashPin(pin);
  await runTx(STORES.meta, 'readwrite', async (tx) => {
    await metaPut(tx, 'deviceToken', token);
    await metaPut(tx, 'deviceConfig', device);
    await metaPut(tx, 'staffPin', staffPin);
    await metaPut(tx, 'device', { id: device.id, name: device.label, orgUnit: device.orgUnit.id, enrolledAt: new Date().toISOString() });
  });
  await cacheAssignedForms(device, token);
  const settings = (await getMeta('kioskSettings')) ?? DEFAULT_SETTINGS;
  return { token, config: device, settings };
}

/** Fetches the configuration again (on start when online, and from the staff screen). */
export async function refreshDevice(state: DeviceState): Promise<DeviceState> {
  const config = await getDeviceConfig(state.token);
  await runTx(STORES.meta, 'readwrite', (tx) => metaPut(tx, 'deviceConfig', config));
  await cacheAssignedForms(config, state.token);
  return { ...state, config };
}

export interface FormTile {
  form: AssignedFormDto;
  /** the cached version new respondents get, or null when it is not on the device */
  version: FormVersionRecord | null;
}

/** The assigned forms with the version a new respondent opens (the current cached one). */
export async function formTiles(config: DeviceConfigDto): Promise<FormTile[]> {
  const cached = await listFormVersions();
  return config.forms
    .filter((f) => f.status !== 'archived')
    .map((form) => {
      const candidates = cached.filter((r) => r.formId === form.formId && r.current).sort((a, b) => b.version - a.version);
      return { form, version: candidates[0] ?? null };
    });
}

/** Staff "unenrol": drops the whole database (the staff screen asks to export first). */
export async function unenrol(): Promise<void> {
  await deleteDb();
}
