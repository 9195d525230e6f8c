/** The signed-in staff member, shared by the console's pages. */
import { createContext, useContext } from 'react';
import type { MeDto } from '../../../../common/api/access';

export interface ConsoleSession {
  me: MeDto;
  /** sign out and go to the login page */
  logout(): Promise<void>;
  /** re-read `/auth/me` (e.g. after changing one's own password) */
  refresh(): Promise<void>;
}

export const SessionContext = createContext<ConsoleSession | null>(null);

export function useSession(): ConsoleSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the console');
  return s;
}
