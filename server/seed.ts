import type { Logger } from 'pino';
import type { Storage } from './storage/port';
import { makeFormService } from './modules/forms/forms.service';
import { loadTemplates } from '../form-definitions';

/**
 * First start on an empty store: the templates in form-definitions/ become published forms
 * (version 1), so a township can start collecting the same day. A store that has any form is left alone.
 */
export async function loadTemplatesIntoEmptyStore(storage: Storage, log: Logger, now: () => Date = () => new Date()): Promise<number> {
  if ((await storage.forms.count()) > 0) return 0;
  const forms = makeFormService({ storage, now });
  let n = 0;
  for (const t of loadTemplates()) {
    const created = await forms.create({ slug: t.id, kind: t.kind, title: t.title, definition: t.definition });
    await forms.publish(created.id, 'system');
    n++;
  }
  log.info({ templates: n }, 'loaded form templates into the empty store');
  return n;
}
